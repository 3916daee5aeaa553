package dev.plonk.gateway.tls;

import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link SslContext} rebuilt when any of its files changes (modification time or size). New connections get
 * the new context; open ones keep theirs. A broken new file keeps the previous context and logs why.
 */
public final class ReloadingSslContext implements Supplier<SslContext> {
  /** Builds a context from the current files. */
  public interface Factory {
    SslContext build() throws Exception;
  }

  private static final Logger LOG = LoggerFactory.getLogger(ReloadingSslContext.class);

  private final String name;
  private final List<Path> files;
  private final Factory factory;
  private volatile SslContext current;
  private List<String> stamps;

  public ReloadingSslContext(String name, List<Path> files, Factory factory) throws Exception {
    this.name = name;
    this.files = files.stream().filter(Objects::nonNull).toList();
    this.factory = factory;
    this.stamps = stamps();
    this.current = factory.build();
  }

  @Override
  public SslContext get() {
    return current;
  }

  /** Rebuilds the context if a file changed; called periodically. Returns true if it reloaded. */
  public synchronized boolean reloadIfChanged() {
    List<String> now = stamps();
    if (now.equals(stamps)) {
      return false;
    }
    try {
      current = factory.build();
      stamps = now;
      LOG.info("{}: reloaded TLS material from {}", name, files);
      return true;
    } catch (Exception e) {
      LOG.warn("{}: {} changed but cannot be loaded ({}); keeping the previous certificate", name, files, e.toString());
      return false;
    }
  }

  private List<String> stamps() {
    List<String> result = new ArrayList<>();
    for (Path file : files) {
      try {
        FileTime time = Files.getLastModifiedTime(file);
        result.add(file + "@" + time.toMillis() + "/" + Files.size(file));
      } catch (IOException e) {
        result.add(file + "@missing");
      }
    }
    return result;
  }
}
