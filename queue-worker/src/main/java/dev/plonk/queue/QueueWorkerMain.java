package dev.plonk.queue;

import dev.plonk.main.GatewayCredentials;

import dev.plonk.main.GoDuration;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The queue-worker process: runs queued async calls from NATS JetStream until SIGTERM, then drains. */
@Command(name = "plonk-queue-worker", mixinStandardHelpOptions = true, version = "plonk-queue-worker 0.1.0",
    sortOptions = false, showDefaultValues = true,
    description = "Runs async function calls queued on NATS JetStream stream plonk-calls: calls them through the "
        + "gateway's sync path, retries with backoff (JetStream nak with delay), posts callbacks, and dead-letters "
        + "to plonk-calls-dlq. Every flag also reads the environment variable named in brackets.")
public final class QueueWorkerMain implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--nats-url", defaultValue = "${env:PLONK_QUEUE_NATS_URL:-nats://127.0.0.1:4222}",
      description = "NATS server URL(s), comma-separated [PLONK_QUEUE_NATS_URL]")
  String natsUrl;
  @Option(names = "--nats-creds", defaultValue = "${env:PLONK_QUEUE_NATS_CREDS}", description = "NATS .creds file (JWT + nkey) [PLONK_QUEUE_NATS_CREDS]")
  Path natsCreds;
  @Option(names = "--nats-user", defaultValue = "${env:PLONK_QUEUE_NATS_USER}", description = "NATS user [PLONK_QUEUE_NATS_USER]")
  String natsUser;
  @Option(names = "--nats-password", defaultValue = "${env:PLONK_QUEUE_NATS_PASSWORD}", description = "NATS password [PLONK_QUEUE_NATS_PASSWORD]")
  String natsPassword;
  @Option(names = "--nats-token", defaultValue = "${env:PLONK_QUEUE_NATS_TOKEN}", description = "NATS token [PLONK_QUEUE_NATS_TOKEN]")
  String natsToken;
  @Option(names = "--nats-tls", defaultValue = "${env:PLONK_QUEUE_NATS_TLS:-false}", description = "TLS with the JVM's default trust [PLONK_QUEUE_NATS_TLS]")
  boolean natsTls;
  @Option(names = "--nats-tls-truststore", defaultValue = "${env:PLONK_QUEUE_NATS_TLS_TRUSTSTORE}",
      description = "TLS truststore (JKS/PKCS12) with the server's CA [PLONK_QUEUE_NATS_TLS_TRUSTSTORE]")
  Path truststore;
  @Option(names = "--nats-tls-truststore-password", defaultValue = "${env:PLONK_QUEUE_NATS_TLS_TRUSTSTORE_PASSWORD}",
      description = "[PLONK_QUEUE_NATS_TLS_TRUSTSTORE_PASSWORD]")
  String truststorePassword;
  @Option(names = "--nats-tls-keystore", defaultValue = "${env:PLONK_QUEUE_NATS_TLS_KEYSTORE}",
      description = "TLS keystore with the client certificate, for mutual TLS [PLONK_QUEUE_NATS_TLS_KEYSTORE]")
  Path keystore;
  @Option(names = "--nats-tls-keystore-password", defaultValue = "${env:PLONK_QUEUE_NATS_TLS_KEYSTORE_PASSWORD}",
      description = "[PLONK_QUEUE_NATS_TLS_KEYSTORE_PASSWORD]")
  String keystorePassword;
  @Option(names = "--gateway-url", defaultValue = "${env:PLONK_QUEUE_GATEWAY_URL:-http://127.0.0.1:8080}",
      description = "Gateway base URL; calls go to <url>/function/<name>.<namespace>/... [PLONK_QUEUE_GATEWAY_URL]")
  URI gatewayUrl;
  @Option(names = "--consumer", defaultValue = "${env:PLONK_QUEUE_CONSUMER:-plonk-queue-worker}",
      description = "Durable consumer name, shared by all replicas [PLONK_QUEUE_CONSUMER]")
  String consumer;
  @Option(names = "--subject-filter", defaultValue = "${env:PLONK_QUEUE_SUBJECT_FILTER:-plonk.calls.>}",
      description = "Subjects this consumer takes, e.g. plonk.calls.team-a.> [PLONK_QUEUE_SUBJECT_FILTER]")
  String subjectFilter;
  @Option(names = "--stream-max-age", defaultValue = "${env:PLONK_QUEUE_STREAM_MAX_AGE:-72h}", converter = GoDuration.Converter.class,
      description = "Max age of queued calls when this worker creates stream plonk-calls [PLONK_QUEUE_STREAM_MAX_AGE]")
  Duration streamMaxAge;
  @Option(names = "--max-inflight", defaultValue = "${env:PLONK_QUEUE_MAX_INFLIGHT:-16}",
      description = "Calls run at once by this worker [PLONK_QUEUE_MAX_INFLIGHT]")
  int maxInflight;
  @Option(names = "--max-inflight-per-function", defaultValue = "${env:PLONK_QUEUE_MAX_INFLIGHT_PER_FUNCTION:-0}",
      description = "Calls of one function run at once; 0 = no limit [PLONK_QUEUE_MAX_INFLIGHT_PER_FUNCTION]")
  int perFunction;
  @Option(names = "--ack-wait", defaultValue = "${env:PLONK_QUEUE_ACK_WAIT:-30s}", converter = GoDuration.Converter.class,
      description = "Consumer ack wait; in-progress acks every third of it keep long calls [PLONK_QUEUE_ACK_WAIT]")
  Duration ackWait;
  @Option(names = "--max-ack-pending", defaultValue = "${env:PLONK_QUEUE_MAX_ACK_PENDING:-1000}",
      description = "Unacked messages across all replicas [PLONK_QUEUE_MAX_ACK_PENDING]")
  int maxAckPending;
  @Option(names = "--call-timeout", defaultValue = "${env:PLONK_QUEUE_CALL_TIMEOUT:-5m}", converter = GoDuration.Converter.class,
      description = "Timeout of one function call [PLONK_QUEUE_CALL_TIMEOUT]")
  Duration callTimeout;
  @Option(names = "--retry-attempts", defaultValue = "${env:PLONK_QUEUE_RETRY_ATTEMPTS:-10}",
      description = "Attempts per call, first included (annotation com.openfaas.retry.attempts) [PLONK_QUEUE_RETRY_ATTEMPTS]")
  int retryAttempts;
  @Option(names = "--retry-codes", defaultValue = "${env:PLONK_QUEUE_RETRY_CODES:-408,429,500,502,503,504}",
      description = "Statuses retried; connect errors always are (com.openfaas.retry.codes) [PLONK_QUEUE_RETRY_CODES]")
  String retryCodes;
  @Option(names = "--retry-min-wait", defaultValue = "${env:PLONK_QUEUE_RETRY_MIN_WAIT:-1s}", converter = GoDuration.Converter.class,
      description = "First backoff (com.openfaas.retry.min_wait) [PLONK_QUEUE_RETRY_MIN_WAIT]")
  Duration retryMinWait;
  @Option(names = "--retry-max-wait", defaultValue = "${env:PLONK_QUEUE_RETRY_MAX_WAIT:-60s}", converter = GoDuration.Converter.class,
      description = "Backoff cap (com.openfaas.retry.max_wait) [PLONK_QUEUE_RETRY_MAX_WAIT]")
  Duration retryMaxWait;
  @Option(names = "--callback-attempts", defaultValue = "${env:PLONK_QUEUE_CALLBACK_ATTEMPTS:-5}",
      description = "Attempts per callback before dead-lettering [PLONK_QUEUE_CALLBACK_ATTEMPTS]")
  int callbackAttempts;
  @Option(names = "--callback-min-wait", defaultValue = "${env:PLONK_QUEUE_CALLBACK_MIN_WAIT:-1s}", converter = GoDuration.Converter.class,
      description = "[PLONK_QUEUE_CALLBACK_MIN_WAIT]")
  Duration callbackMinWait;
  @Option(names = "--callback-max-wait", defaultValue = "${env:PLONK_QUEUE_CALLBACK_MAX_WAIT:-10s}", converter = GoDuration.Converter.class,
      description = "[PLONK_QUEUE_CALLBACK_MAX_WAIT]")
  Duration callbackMaxWait;
  @Option(names = "--callback-timeout", defaultValue = "${env:PLONK_QUEUE_CALLBACK_TIMEOUT:-30s}", converter = GoDuration.Converter.class,
      description = "[PLONK_QUEUE_CALLBACK_TIMEOUT]")
  Duration callbackTimeout;
  @Option(names = "--annotations-ttl", defaultValue = "${env:PLONK_QUEUE_ANNOTATIONS_TTL:-30s}", converter = GoDuration.Converter.class,
      description = "Cache time of a function's retry annotations read from <gateway>/system/function/<name>; "
          + "0s = do not read them [PLONK_QUEUE_ANNOTATIONS_TTL]")
  Duration annotationsTtl;
  @Option(names = "--gateway-secret-dir", defaultValue = "${env:PLONK_QUEUE_GATEWAY_SECRET_DIR}",
      description = "Folder with basic-auth-user and basic-auth-password for the gateway's /system API (the "
          + "gateway's --secret-dir); unset: no auth [PLONK_QUEUE_GATEWAY_SECRET_DIR]")
  Path gatewaySecretDir;
  @Option(names = "--bind", defaultValue = "${env:PLONK_QUEUE_BIND:-127.0.0.1}",
      description = "Listen address of /metrics, /healthz and /readyz; 0.0.0.0 in a pod [PLONK_QUEUE_BIND]")
  String bind;
  @Option(names = "--port", defaultValue = "${env:PLONK_QUEUE_PORT:-8083}",
      description = "Port of /metrics, /healthz and /readyz; 0 = off [PLONK_QUEUE_PORT]")
  int port;
  @Option(names = "--shutdown-timeout", defaultValue = "${env:PLONK_QUEUE_SHUTDOWN_TIMEOUT:-30s}", converter = GoDuration.Converter.class,
      description = "On SIGTERM, how long calls in flight may finish [PLONK_QUEUE_SHUTDOWN_TIMEOUT]")
  Duration shutdownTimeout;

  public static void main(String[] args) {
    System.exit(new CommandLine(new QueueWorkerMain()).execute(args));
  }

  WorkerSettings settings() {
    return new WorkerSettings(gatewayUrl, consumer, subjectFilter, streamMaxAge, maxInflight, perFunction, ackWait,
        maxAckPending, callTimeout, new RetryPolicy(retryAttempts, RetryPolicy.parseCodes(retryCodes), retryMinWait,
        retryMaxWait), new RetryPolicy(callbackAttempts, RetryPolicy.DEFAULT.codes(), callbackMinWait, callbackMaxWait),
        callbackTimeout, annotationsTtl, gatewaySecretDir, bind, port, shutdownTimeout);
  }

  @Override
  public Integer call() throws Exception {
    WorkerSettings settings;
    NatsOptions nats = new NatsOptions(natsUrl, natsCreds, natsUser, natsPassword, natsToken, natsTls, truststore,
        truststorePassword, keystore, keystorePassword);
    io.nats.client.Options options;
    try {
      settings = settings();
      GatewayCredentials.authorization(settings.gatewaySecretDir());
      options = nats.build();
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("plonk-queue-worker: " + e.getMessage() + " (see --help)");
      return 2;
    }
    QueueWorker worker;
    try {
      worker = new QueueWorker(settings, options);
    } catch (java.io.IOException | io.nats.client.JetStreamApiException e) {
      spec.commandLine().getErr().println("plonk-queue-worker: cannot use NATS JetStream at " + natsUrl + ": "
          + e.getMessage() + ". Start nats-server with JetStream enabled (-js), or fix --nats-url / credentials.");
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        worker.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        stopped.countDown();
      }
    }, "plonk-queue-shutdown"));
    stopped.await();
    return 0;
  }
}
