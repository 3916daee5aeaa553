package dev.plonk.gateway.system;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.plonk.gateway.http.Exchange;
import dev.plonk.gateway.http.Responses;
import dev.plonk.gateway.provider.FunctionProvider;
import dev.plonk.gateway.routing.FunctionRef;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;

/**
 * One {@code /system} call as an operation sees it: the name from the path (if the route has one), the query, the
 * body, and the namespace resolved and checked the way faas-netes resolves it (body, then {@code ?namespace=}, then
 * the default), refusing every namespace the provider does not serve.
 */
public final class SystemRequest {
  private final Exchange exchange;
  private final String name;
  private final byte[] body;
  private final FunctionProvider provider;
  private final String defaultNamespace;

  SystemRequest(Exchange exchange, String name, FunctionProvider provider, String defaultNamespace) {
    this.exchange = exchange;
    this.name = name;
    this.body = ByteBufUtil.getBytes(exchange.request().content());
    this.provider = provider;
    this.defaultNamespace = defaultNamespace;
  }

  public Exchange exchange() {
    return exchange;
  }

  /**
   * The {@code {name}} path segment of the route, or null.
   *
   * @throws BadRequest if it cannot name a function, before anything asks Kubernetes for it
   */
  public String name() {
    return name == null ? null : functionName(name);
  }

  /** {@code name} if it can name a function; else a 400 that says what a name may hold. */
  static String functionName(String name) {
    if (!FunctionRef.isFunctionName(name)) {
      throw new BadRequest(FunctionRef.invalidName(name));
    }
    return name;
  }

  public String query(String parameter) {
    return exchange.query(parameter);
  }

  /**
   * The namespace to act in: {@code fromBody} if given, else {@code ?namespace=}, else the default.
   *
   * @throws NotFound with {@code missing}'s message if the provider does not serve it, so an unserved namespace
   *                  looks exactly like a missing function (or secret)
   */
  public String namespace(String fromBody, String missingWhat) {
    String ns = fromBody != null && !fromBody.isBlank() ? fromBody : query("namespace");
    ns = ns == null || ns.isBlank() ? defaultNamespace : ns;
    if (!provider.namespaces().contains(ns)) {
      throw new NotFound(missing(missingWhat, ns));
    }
    return ns;
  }

  /** The one message for "not here": a missing thing and an unserved namespace read the same. */
  static String missing(String what, String namespace) {
    return what + " not found in namespace '" + namespace + "'; check the name, and that '" + namespace
        + "' is a function namespace (GET /system/namespaces)";
  }

  /** The body as JSON of {@code type}; 400 with {@code example} if it is empty, null or not JSON. */
  public <T> T body(Class<T> type, String example) {
    if (body.length == 0) {
      throw new BadRequest("the request body is empty; expected JSON: " + example);
    }
    try {
      T value = Responses.JSON.readValue(body, type);
      if (value == null) {
        throw new BadRequest("the request body is JSON null; expected " + example);
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new BadRequest("the request body is not valid JSON (" + e.getOriginalMessage() + "); expected " + example);
    } catch (IOException e) {
      throw new BadRequest("cannot read the request body: " + e.getMessage());
    }
  }

  /** A request body or parameter that is wrong (400); the message says what and what is expected. */
  public static final class BadRequest extends RuntimeException {
    public BadRequest(String message) {
      super(message);
    }
  }

  /** Nothing of that name where the request looked (404). */
  public static final class NotFound extends RuntimeException {
    public NotFound(String message) {
      super(message);
    }
  }
}
