package dev.plonk.mesh;

/**
 * The one home of a function's backend names: the apex Service {@code <apex>} splits between {@code <apex>-primary}
 * (the stable copy) and {@code <apex>-canary} (the new revision). The controller creates them, the routers write
 * them, the gateway reads them back and labels its per-backend series with them ({@link #METRIC_LABEL}), and the
 * {@code gateway} observer queries that label.
 */
public final class BackendNames {
  public static final String PRIMARY_SUFFIX = "-primary";
  public static final String CANARY_SUFFIX = "-canary";
  /** The label of the gateway's per-backend series whose value is a backend Service name. */
  public static final String METRIC_LABEL = "backend";

  private BackendNames() {}

  /** {@code <name>-primary}: the primary backend Service of an apex, or the primary copy of a Deployment. */
  public static String primary(String name) {
    return name + PRIMARY_SUFFIX;
  }

  /** {@code <apex>-canary}: the canary backend Service of an apex. */
  public static String canary(String apex) {
    return apex + CANARY_SUFFIX;
  }

  /** The name a {@code -primary} name was made from, or {@code name} itself if it has no such suffix. */
  public static String withoutPrimarySuffix(String name) {
    return name.endsWith(PRIMARY_SUFFIX) ? name.substring(0, name.length() - PRIMARY_SUFFIX.length()) : name;
  }
}
