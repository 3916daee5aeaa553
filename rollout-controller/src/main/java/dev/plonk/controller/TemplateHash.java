package dev.plonk.controller;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A short, stable hash of a pod template: a new hash is a new revision. */
public final class TemplateHash {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private TemplateHash() {}

  public static String of(PodTemplateSpec template) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(JSON.asJson(template).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
