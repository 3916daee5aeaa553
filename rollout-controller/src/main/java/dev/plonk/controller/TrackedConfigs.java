package dev.plonk.controller;

import dev.plonk.api.v1alpha1.TrackedConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The ConfigMaps and Secrets a pod template references (env, envFrom, volumes, projected volumes): they are part of
 * the revision, and the primary runs on its own copies, {@code <name>-primary-<checksum>}: one per content, made on
 * promotion and never changed, so the pods of the previous revision keep their configs while a promotion rolls out,
 * and a rollback finds them still there.
 */
public final class TrackedConfigs {
  public static final String CONFIG_MAP = "ConfigMap";
  public static final String SECRET = "Secret";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private TrackedConfigs() {}

  /** "ConfigMap/name" and "Secret/name" the template refers to, sorted, without duplicates. */
  public static List<String> refs(PodTemplateSpec template) {
    TreeSet<String> out = new TreeSet<>();
    visit(template.getSpec(), name -> out.add(CONFIG_MAP + "/" + name), name -> out.add(SECRET + "/" + name));
    return List.copyOf(out);
  }

  /**
   * The same template with every reference renamed to the primary's copy of the revision's config ({@link #copyName});
   * a reference to a config that does not exist becomes {@code <name>-primary}, which does not exist either.
   */
  public static void renameForPrimary(PodSpec spec, List<TrackedConfig> revision) {
    Map<String, String> copies = new TreeMap<>();
    revision.forEach(c -> copies.put(c.kind + "/" + c.name, copyName(c)));
    rename(spec, name -> copies.getOrDefault(CONFIG_MAP + "/" + name, PrimaryDeployment.name(name)),
        name -> copies.getOrDefault(SECRET + "/" + name, PrimaryDeployment.name(name)));
  }

  /** The primary's copy of one config's content: {@code <name>-primary-<first 10 hex of its checksum>}. */
  public static String copyName(TrackedConfig config) {
    return PrimaryDeployment.name(config.name) + "-" + config.checksum.substring(0, 10);
  }

  /** A checksum of a config's data (keys sorted), so the revision changes exactly when the data does. */
  public static String checksum(HasMetadata config) {
    Map<String, Object> data = new TreeMap<>();
    if (config instanceof ConfigMap cm) {
      data.put("data", cm.getData() == null ? Map.of() : new TreeMap<>(cm.getData()));
      data.put("binaryData", cm.getBinaryData() == null ? Map.of() : new TreeMap<>(cm.getBinaryData()));
    } else if (config instanceof Secret s) {
      data.put("data", s.getData() == null ? Map.of() : new TreeMap<>(s.getData()));
      data.put("stringData", s.getStringData() == null ? Map.of() : new TreeMap<>(s.getStringData()));
    }
    return sha(JSON.asJson(data));
  }

  /** The revision: the template hash alone without configs (so existing revisions keep their hash), else both. */
  public static String revision(String templateHash, List<TrackedConfig> configs) {
    if (configs.isEmpty()) {
      return templateHash;
    }
    StringBuilder text = new StringBuilder(templateHash);
    configs.forEach(c -> text.append('|').append(c.kind).append('/').append(c.name).append('=').append(c.checksum));
    return sha(text.toString());
  }

  static String sha(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static void visit(PodSpec spec, Consumer<String> configMap, Consumer<String> secret) {
    rename(spec, name -> {
      configMap.accept(name);
      return name;
    }, name -> {
      secret.accept(name);
      return name;
    });
  }

  /** Applies {@code cm} to every ConfigMap name and {@code sec} to every Secret name the spec refers to, in place. */
  private static void rename(PodSpec spec, UnaryOperator<String> cm, UnaryOperator<String> sec) {
    for (Container c : containers(spec)) {
      for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
        var from = e.getValueFrom();
        if (from != null && from.getConfigMapKeyRef() != null && from.getConfigMapKeyRef().getName() != null) {
          from.getConfigMapKeyRef().setName(cm.apply(from.getConfigMapKeyRef().getName()));
        }
        if (from != null && from.getSecretKeyRef() != null && from.getSecretKeyRef().getName() != null) {
          from.getSecretKeyRef().setName(sec.apply(from.getSecretKeyRef().getName()));
        }
      }
      for (EnvFromSource e : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
        if (e.getConfigMapRef() != null && e.getConfigMapRef().getName() != null) {
          e.getConfigMapRef().setName(cm.apply(e.getConfigMapRef().getName()));
        }
        if (e.getSecretRef() != null && e.getSecretRef().getName() != null) {
          e.getSecretRef().setName(sec.apply(e.getSecretRef().getName()));
        }
      }
    }
    for (Volume v : spec.getVolumes() == null ? List.<Volume>of() : spec.getVolumes()) {
      if (v.getConfigMap() != null && v.getConfigMap().getName() != null) {
        v.getConfigMap().setName(cm.apply(v.getConfigMap().getName()));
      }
      if (v.getSecret() != null && v.getSecret().getSecretName() != null) {
        v.getSecret().setSecretName(sec.apply(v.getSecret().getSecretName()));
      }
      if (v.getProjected() != null && v.getProjected().getSources() != null) {
        for (VolumeProjection p : v.getProjected().getSources()) {
          if (p.getConfigMap() != null && p.getConfigMap().getName() != null) {
            p.getConfigMap().setName(cm.apply(p.getConfigMap().getName()));
          }
          if (p.getSecret() != null && p.getSecret().getName() != null) {
            p.getSecret().setName(sec.apply(p.getSecret().getName()));
          }
        }
      }
    }
  }

  private static List<Container> containers(PodSpec spec) {
    List<Container> all = new ArrayList<>();
    Stream.of(spec.getInitContainers(), spec.getContainers()).filter(java.util.Objects::nonNull).forEach(all::addAll);
    return all;
  }
}
