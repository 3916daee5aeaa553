package dev.plonk.gateway.provider;

import java.util.List;

/** faas-provider's secrets: names can be listed, values written, never read back. */
public interface SecretStore {

  /** The names of the function secrets in a namespace (never their values). */
  List<SecretName> list(String namespace);

  /**
   * @throws FunctionProvider.ConflictException if a secret of that name exists
   */
  void create(String namespace, SecretValue secret);

  /** Replaces a secret's value; false if there is no such secret. */
  boolean update(String namespace, SecretValue secret);

  /** false if there was no such secret. */
  boolean delete(String namespace, String name);

  /** A secret as listed: {@code {"name","namespace"}}. */
  record SecretName(String name, String namespace) {}

  /** A secret as written: its name and value bytes (from {@code value}, or base64 {@code rawValue}). */
  record SecretValue(String name, byte[] value) {}
}
