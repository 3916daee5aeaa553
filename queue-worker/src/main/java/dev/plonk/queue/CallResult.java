package dev.plonk.queue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one attempt to call a function gave.
 *
 * @param status     the HTTP status, or 0 when no response came (connect error, timeout)
 * @param headers    response headers (empty when status is 0)
 * @param body       response body (empty when status is 0)
 * @param duration   time from sending the request to reading the whole response
 * @param error      what went wrong when status is 0, else null
 * @param retryAfter the response's Retry-After, or null
 */
public record CallResult(
    int status, Map<String, List<String>> headers, byte[] body, Duration duration, String error, Duration retryAfter) {

  public CallResult {
    headers = headers == null ? Map.of() : headers;
    body = body == null ? new byte[0] : body;
  }

  public static CallResult failed(String error, Duration duration) {
    return new CallResult(0, Map.of(), new byte[0], duration, error, null);
  }

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  /** "503" or, for a call that got no response, the error. */
  public String describe() {
    return status == 0 ? "no response (" + error + ")" : "status " + status;
  }

  public String header(String name) {
    for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
      if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
        return entry.getValue().get(0);
      }
    }
    return null;
  }
}
