package dev.plonk.gateway.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Basic-auth credentials read from {@code basic-auth-user} and {@code basic-auth-password} in a secret folder (as
 * OpenFaaS mounts them), compared in constant time.
 */
public final class BasicAuth {
  private final byte[] expected;

  public BasicAuth(String user, String password) {
    this.expected = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
  }

  /** Reads both files, trimming a trailing newline; says which file is missing if one is. */
  public static BasicAuth fromSecretDir(Path dir) {
    return new BasicAuth(read(dir.resolve("basic-auth-user")), read(dir.resolve("basic-auth-password")));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + " (" + e.getMessage() + "); --secret-dir must hold "
          + "the files basic-auth-user and basic-auth-password", e);
    }
  }

  /** True if the {@code Authorization} header carries these credentials. */
  public boolean accepts(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(authorization.substring(6).trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(given, expected);
  }
}
