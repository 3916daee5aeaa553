package dev.plonk.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority in one directory, driven by the {@code openssl} CLI:
 * a CA, serving certificates for loopback, client certificates (CN = user, O = groups) and key pairs.
 */
public final class Pki {
  private final Path dir;

  public Pki(Path dir) {
    this.dir = dir;
    if (!Files.exists(caCert())) {
      openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650", "-subj", "/CN=plonk-devstack-ca",
          "-keyout", dir.resolve("ca.key").toString(), "-out", caCert().toString());
    }
  }

  public Path caCert() {
    return dir.resolve("ca.crt");
  }

  /** An RSA key pair; returns the private key path, the public key is next to it as {@code name.pub}. */
  public Path keyPair(String name) {
    Path key = dir.resolve(name + ".key");
    openssl("genrsa", "-out", key.toString(), "2048");
    openssl("rsa", "-in", key.toString(), "-pubout", "-out", dir.resolve(name + ".pub").toString());
    return key;
  }

  /** A serving certificate for 127.0.0.1 and localhost (plus {@code extraSans}, e.g. "DNS:foo"). */
  public CertPair serverCert(String name, String... extraSans) {
    StringBuilder sans = new StringBuilder("IP:127.0.0.1,DNS:localhost");
    for (String san : extraSans) {
      sans.append(',').append(san);
    }
    return sign(name, "/CN=" + name, "subjectAltName=" + sans + "\nextendedKeyUsage=serverAuth,clientAuth");
  }

  /** A client certificate: CN is the user name, each group becomes an O. */
  public CertPair clientCert(String user, String... groups) {
    StringBuilder subject = new StringBuilder();
    for (String group : groups) {
      subject.append("/O=").append(group);
    }
    subject.append("/CN=").append(user);
    return sign("client-" + user, subject.toString(), "extendedKeyUsage=clientAuth");
  }

  private CertPair sign(String name, String subject, String extensions) {
    Path key = dir.resolve(name + ".key");
    Path csr = dir.resolve(name + ".csr");
    Path crt = dir.resolve(name + ".crt");
    Path ext = dir.resolve(name + ".ext");
    try {
      Files.writeString(ext, extensions + "\n");
    } catch (IOException e) {
      throw new DevStackException("cannot write " + ext + ": " + e.getMessage(), e);
    }
    openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", subject, "-keyout", key.toString(),
        "-out", csr.toString());
    openssl("x509", "-req", "-in", csr.toString(), "-CA", caCert().toString(), "-CAkey", dir.resolve("ca.key").toString(),
        "-CAcreateserial", "-days", "3650", "-extfile", ext.toString(), "-out", crt.toString());
    return new CertPair(crt, key);
  }

  private void openssl(String... args) {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new DevStackException("openssl " + String.join(" ", args) + " failed:\n" + output);
      }
    } catch (IOException e) {
      throw new DevStackException("openssl is needed to make the devstack certificates (apt-get install openssl): "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException("interrupted running openssl", e);
    }
  }

  /** A PEM certificate and its PEM private key. */
  public record CertPair(Path cert, Path key) {}
}
