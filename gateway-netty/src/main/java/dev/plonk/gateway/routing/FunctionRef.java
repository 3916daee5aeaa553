package dev.plonk.gateway.routing;


/**
 * The function a request names: {@code /function/<name>[.<namespace>][/path][?query]}.
 *
 * @param name      function (and apex Service) name
 * @param namespace its namespace
 * @param path      the rest of the path, "" or starting with "/"
 * @param query     the raw query without '?', or null
 */
public record FunctionRef(String name, String namespace, String path, String query) {

  /** {@code name.namespace}, as OpenFaaS writes function names. */
  public String qualifiedName() {
    return name + "." + namespace;
  }

  /** The path and query to send upstream. */
  public String upstreamUri() {
    String p = path.isEmpty() ? "/" : path;
    return query == null ? p : p + "?" + query;
  }

  /**
   * Parses the part of a URI after the route prefix (e.g. after {@code /function/}).
   *
   * @throws InvalidFunctionException with a message that says what was wrong and what is expected
   */
  public static FunctionRef parse(String afterPrefix, String defaultNamespace) {
    String query = null;
    int q = afterPrefix.indexOf('?');
    if (q >= 0) {
      query = afterPrefix.substring(q + 1);
      afterPrefix = afterPrefix.substring(0, q);
    }
    int slash = afterPrefix.indexOf('/');
    String id = slash < 0 ? afterPrefix : afterPrefix.substring(0, slash);
    String path = slash < 0 ? "" : afterPrefix.substring(slash);
    if (id.isEmpty()) {
      throw new InvalidFunctionException("the function name is missing; expected /function/<name>[.<namespace>][/path]");
    }
    int dot = id.indexOf('.');
    String name = dot < 0 ? id : id.substring(0, dot);
    String namespace = dot < 0 ? defaultNamespace : id.substring(dot + 1);
    if (!isLabel(name, false)) {
      throw new InvalidFunctionException(invalidName(name));
    }
    if (!isLabel(namespace, true)) {
      throw new InvalidFunctionException("invalid namespace '" + abbreviate(namespace) + "' in '" + abbreviate(id)
          + "': expected a DNS-1123 label (lower-case letters, digits and '-', at most 63 characters)");
    }
    return new FunctionRef(name, namespace, path, query);
  }

  /** True if {@code name} can name a function: a DNS-1035 label, as its Service's name must be. */
  public static boolean isFunctionName(String name) {
    return isLabel(name, false);
  }

  /** What to say when {@code name} is not {@link #isFunctionName}. */
  public static String invalidName(String name) {
    return "invalid function name '" + abbreviate(name) + "': expected a DNS-1035 label (lower-case letters, digits "
        + "and '-', starting with a letter, at most 63 characters)";
  }

  /**
   * A DNS label: 1 to 63 of [a-z0-9-], not starting or ending with '-'; DNS-1035 (Service names) also needs a letter
   * first, DNS-1123 (namespaces) allows a digit. A loop rather than a regex: it runs on every call.
   */
  static boolean isLabel(String s, boolean digitFirst) {
    int n = s.length();
    if (n == 0 || n > 63 || s.charAt(n - 1) == '-') {
      return false;
    }
    char first = s.charAt(0);
    if (!(first >= 'a' && first <= 'z' || digitFirst && first >= '0' && first <= '9')) {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  /** A function name or namespace that cannot be a Kubernetes object name. */
  public static final class InvalidFunctionException extends RuntimeException {
    public InvalidFunctionException(String message) {
      super(message);
    }
  }
}
