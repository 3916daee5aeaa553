package dev.plonk.gateway.tls;

import dev.plonk.gateway.GatewayConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import java.util.List;

/** Builds the server and upstream TLS contexts from the {@code --tls-*} and {@code --upstream-tls-*} files. */
public final class TlsContexts {
  private TlsContexts() {}

  /** The listener's context; with a client CA bundle, a client certificate is required (mTLS). Null if no TLS. */
  public static ReloadingSslContext server(GatewayConfig.TlsSettings tls) throws Exception {
    if (!tls.serverTls()) {
      return null;
    }
    return new ReloadingSslContext("server TLS", List.of(tls.certFile(), tls.keyFile(),
        tls.clientCaFile() == null ? tls.certFile() : tls.clientCaFile()), () -> {
          SslContextBuilder builder = SslContextBuilder.forServer(tls.certFile().toFile(), tls.keyFile().toFile());
          if (tls.clientCaFile() != null) {
            builder.trustManager(tls.clientCaFile().toFile()).clientAuth(ClientAuth.REQUIRE);
          }
          return builder.build();
        });
  }

  /** The context for calls to functions; with a certificate and key, the gateway presents them (mTLS). Null if off. */
  public static ReloadingSslContext upstream(GatewayConfig.TlsSettings tls) throws Exception {
    if (!tls.upstreamTls()) {
      return null;
    }
    return new ReloadingSslContext("upstream TLS", java.util.Arrays.asList(tls.upstreamCaFile(), tls.upstreamCertFile(),
        tls.upstreamKeyFile()), () -> {
          SslContextBuilder builder = SslContextBuilder.forClient();
          if (tls.upstreamCaFile() != null) {
            builder.trustManager(tls.upstreamCaFile().toFile());
          }
          if (tls.upstreamCertFile() != null) {
            builder.keyManager(tls.upstreamCertFile().toFile(), tls.upstreamKeyFile().toFile());
          }
          return builder.build();
        });
  }
}
