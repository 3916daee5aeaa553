package dev.plonk.gateway.provider;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.function.Consumer;

/** faas-provider's logs: the lines a function's instances wrote, read once or followed. */
public interface LogSource {

  /**
   * Reads the logs a request asks for, handing each message to {@code sink} in order, and returns once they are
   * all read (or, when following, once {@code stillWanted} turns false). Blocking.
   */
  void read(LogRequest request, Consumer<LogMessage> sink, java.util.function.BooleanSupplier stillWanted);

  /**
   * faas-provider {@code logs.Request}.
   *
   * @param since  only lines at or after this instant, or null
   * @param tail   at most this many lines per instance before following, or -1 for all
   */
  record LogRequest(String name, String namespace, String instance, Instant since, int tail, boolean follow) {}

  /** faas-provider {@code logs.Message}, one JSON object per line of the response. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record LogMessage(String name, String namespace, String instance, String timestamp, String text) {}
}
