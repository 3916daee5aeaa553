package dev.plonk.queue;

import io.nats.client.ConnectionListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NATS connection settings: servers, credentials (creds file, user/password or token) and TLS (JVM default trust,
 * or a truststore and optional keystore for mutual TLS). Reconnects forever, so a nats-server restart only pauses
 * the worker.
 */
public record NatsOptions(
    String servers,
    Path credsFile,
    String user,
    String password,
    String token,
    boolean tls,
    Path truststore,
    String truststorePassword,
    Path keystore,
    String keystorePassword) {
  private static final Logger LOG = LoggerFactory.getLogger(NatsOptions.class);

  public Options build() throws NoSuchAlgorithmException {
    Options.Builder builder = Options.builder()
        .server(servers)
        .connectionName("plonk-queue-worker")
        .connectionTimeout(Duration.ofSeconds(5))
        .maxReconnects(-1)
        .reconnectWait(Duration.ofMillis(500))
        .connectionListener((connection, event) -> {
          if (event != ConnectionListener.Events.RESUBSCRIBED) {
            LOG.info("NATS {}", event);
          }
        });
    if (credsFile != null) {
      requireReadable(credsFile, "--nats-creds");
      builder.authHandler(Nats.credentials(credsFile.toString()));
    }
    if (user != null && !user.isEmpty()) {
      builder.userInfo(user, password == null ? "" : password);
    }
    if (token != null && !token.isEmpty()) {
      builder.token(token.toCharArray());
    }
    if (truststore != null) {
      requireReadable(truststore, "--nats-tls-truststore");
      builder.truststorePath(truststore.toString());
      if (truststorePassword != null) {
        builder.truststorePassword(truststorePassword.toCharArray());
      }
    }
    if (keystore != null) {
      requireReadable(keystore, "--nats-tls-keystore");
      builder.keystorePath(keystore.toString());
      if (keystorePassword != null) {
        builder.keystorePassword(keystorePassword.toCharArray());
      }
    }
    if (tls && truststore == null && keystore == null) {
      builder.secure();
    }
    return builder.build();
  }

  private static void requireReadable(Path file, String flag) {
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(flag + " " + file + " does not exist or is not readable; give the path of an "
          + "existing file");
    }
  }
}
