package dev.plonk.gateway.system;

/** Build facts reported by {@code /system/info}. */
public final class GatewayInfo {
  public static final String VERSION = "0.1.0";

  private GatewayInfo() {}
}
