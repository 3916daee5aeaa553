package dev.plonk.call;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One queued invocation: the message format shared by the gateway ({@code /async-function} publishes it) and the
 * queue-worker (consumes it). The JSON payload of a JetStream message on {@code plonk.calls.<namespace>.<function>};
 * the message's {@code Nats-Msg-Id} header is {@link #callId()}, so a retried publish is stored once.
 *
 * @param callId      the client's {@code X-Call-Id}, or a new UUID
 * @param namespace   function namespace
 * @param function    function name
 * @param method      HTTP method of the original request
 * @param path        the path after {@code /async-function/<name>}, "" or starting with "/"
 * @param query       raw query string without '?', or null
 * @param headers     the original request headers (hop-by-hop headers removed)
 * @param body        the original request body
 * @param callbackUrl {@code X-Callback-Url}, or null
 * @param receivedAt  epoch milliseconds at which the gateway accepted the call
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AsyncCall(
    String callId,
    String namespace,
    String function,
    String method,
    String path,
    String query,
    Map<String, List<String>> headers,
    byte[] body,
    String callbackUrl,
    long receivedAt) {

  public static final String STREAM = "plonk-calls";
  public static final String SUBJECT_PREFIX = "plonk.calls.";
  public static final String DEAD_LETTER_STREAM = "plonk-calls-dlq";
  public static final String DEAD_LETTER_SUBJECT_PREFIX = "plonk.dlq.";

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public AsyncCall {
    headers = headers == null ? Map.of() : headers;
    body = body == null ? new byte[0] : body;
  }

  /** {@code plonk.calls.<namespace>.<function>}. */
  public String subject() {
    return SUBJECT_PREFIX + namespace + "." + function;
  }

  /** {@code name.namespace}, as OpenFaaS writes function names in metrics and callbacks. */
  public String qualifiedName() {
    return function + "." + namespace;
  }

  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode call " + callId, e);
    }
  }

  /** Parses and validates a payload; a malformed one throws with a reason fit for the dead letter. */
  public static AsyncCall fromJson(byte[] payload) throws MalformedCallException {
    AsyncCall call;
    try {
      call = JSON.readValue(payload, AsyncCall.class);
    } catch (IOException e) {
      throw new MalformedCallException("payload is not an AsyncCall JSON document: " + e.getMessage());
    }
    if (call == null) {
      throw new MalformedCallException("payload is empty; expected an AsyncCall JSON document");
    }
    require(call.callId, "callId");
    require(call.namespace, "namespace");
    require(call.function, "function");
    require(call.method, "method");
    if (call.path == null || !(call.path.isEmpty() || call.path.startsWith("/"))) {
      throw new MalformedCallException("path must be empty or start with '/', got " + call.path);
    }
    return call;
  }

  private static void require(String value, String field) throws MalformedCallException {
    if (value == null || value.isBlank()) {
      throw new MalformedCallException("field '" + field + "' is missing or blank");
    }
  }

  /** A queued message that cannot be run as a call; its message says why. */
  public static final class MalformedCallException extends Exception {
    public MalformedCallException(String message) {
      super(message);
    }
  }
}
