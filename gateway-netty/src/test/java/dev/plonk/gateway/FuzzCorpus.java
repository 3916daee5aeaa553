package dev.plonk.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Seed requests that reach every route, and seeded mutations of them: flipped, inserted, deleted and duplicated
 * bytes, bad percent-encoding and UTF-8, odd methods and versions, conflicting lengths, truncations and an HTTP/2
 * preface. The same seed always gives the same requests.
 */
final class FuzzCorpus {
  private static final byte[] NASTY = "%\u00ff\r\n\0 :;?#/\\.~-+=&\"'<>{}[]|^`\t".getBytes(StandardCharsets.ISO_8859_1);
  private static final List<String> TOKENS = List.of("%", "%z", "%ff", "%c3", "%e2%82", "%00", "%2F", "..", "\u00ff",
      " HTTP/2.0", " HTTP/1.2", " HTTP/0.9", "\r\n", "\n", "\r", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
      "Transfer-Encoding: chunked\r\n", "Content-Length: -1\r\n", "Content-Length: 99999999999\r\n",
      "Content-Length: 5\r\nContent-Length: 6\r\n", "Expect: 100-continue\r\n", "Host:\r\n", ": x\r\n",
      "Authorization: Basic !!\r\n", "Connection: upgrade\r\nUpgrade: h2c\r\n", "zz\r\n0\r\n\r\n");

  private final List<byte[]> seeds;
  private final Random random;

  FuzzCorpus(String ns, String auth, long seed) {
    this.random = new Random(seed);
    String a = "Authorization: " + auth + "\r\n";
    String deploy = "{\"service\":\"fz\",\"image\":\"i:1\",\"namespace\":\"" + ns + "\",\"secrets\":[\"k\"]}";
    seeds = List.of(
        req("GET /healthz HTTP/1.1\r\nHost: gw\r\n\r\n"),
        req("GET /function/echo." + ns + "/a/b?x=1&y=%20z HTTP/1.1\r\nHost: gw\r\nX-Call-Id: c1\r\n\r\n"),
        req("POST /function/echo." + ns + " HTTP/1.1\r\nHost: gw\r\nContent-Length: 5\r\n\r\nhello"),
        req("POST /function/echo." + ns + " HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
        req("POST /async-function/echo." + ns + " HTTP/1.1\r\nHost: gw\r\nContent-Length: 2\r\n\r\n{}"),
        req("GET /system/functions?namespace=" + ns + " HTTP/1.1\r\nHost: gw\r\n" + a + "\r\n"),
        req("GET /system/function/echo?namespace=" + ns + " HTTP/1.1\r\nHost: gw\r\n" + a + "\r\n"),
        req("POST /system/functions HTTP/1.1\r\nHost: gw\r\n" + a + "Content-Length: " + deploy.length() + "\r\n\r\n"
            + deploy),
        req("POST /system/scale-function/fz?namespace=" + ns + " HTTP/1.1\r\nHost: gw\r\n" + a
            + "Content-Length: 14\r\n\r\n{\"replicas\":1}"),
        req("GET /system/secrets?namespace=" + ns + " HTTP/1.1\r\nHost: gw\r\n" + a + "\r\n"),
        req("GET /system/logs?name=echo&namespace=" + ns + "&tail=5 HTTP/1.1\r\nHost: gw\r\n" + a + "\r\n"),
        req("GET /system/namespaces HTTP/1.0\r\n" + a + "\r\n"),
        req("GET /metrics HTTP/1.1\r\nHost: gw\r\n\r\n"));
  }

  private static byte[] req(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  int seedCount() {
    return seeds.size();
  }

  /** The next mutated request (sometimes unmutated, sometimes two pipelined). */
  byte[] next() {
    byte[] base = seeds.get(random.nextInt(seeds.size()));
    int mutations = random.nextInt(4);
    byte[] out = base;
    for (int i = 0; i < mutations; i++) {
      out = mutate(out);
    }
    if (random.nextInt(10) == 0) {
      ByteArrayOutputStream two = new ByteArrayOutputStream();
      two.writeBytes(out);
      two.writeBytes(seeds.get(random.nextInt(seeds.size())));
      out = two.toByteArray();
    }
    return out;
  }

  private byte[] mutate(byte[] in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + 64);
    int at = in.length == 0 ? 0 : random.nextInt(in.length);
    switch (random.nextInt(7)) {
      case 0 -> { // flip one byte
        out.writeBytes(in);
        byte[] b = out.toByteArray();
        if (b.length > 0) {
          b[at] = (byte) (random.nextBoolean() ? NASTY[random.nextInt(NASTY.length)] : random.nextInt(256));
        }
        return b;
      }
      case 1 -> { // insert a token
        out.write(in, 0, at);
        out.writeBytes(TOKENS.get(random.nextInt(TOKENS.size())).getBytes(StandardCharsets.ISO_8859_1));
        out.write(in, at, in.length - at);
      }
      case 2 -> { // delete a range
        int len = Math.min(in.length - at, 1 + random.nextInt(16));
        out.write(in, 0, at);
        out.write(in, at + len, in.length - at - len);
      }
      case 3 -> { // duplicate a range
        int len = Math.min(in.length - at, 1 + random.nextInt(64));
        out.write(in, 0, at + len);
        out.write(in, at, in.length - at);
      }
      case 4 -> out.write(in, 0, at); // truncate
      case 5 -> { // random bytes
        out.write(in, 0, at);
        byte[] noise = new byte[1 + random.nextInt(8)];
        random.nextBytes(noise);
        out.writeBytes(noise);
        out.write(in, at, in.length - at);
      }
      default -> { // a percent sequence into the request target
        int space = indexOf(in, (byte) ' ');
        int pos = space < 0 ? at : space + 2 + random.nextInt(Math.max(1, Math.min(20, in.length - space - 2)));
        pos = Math.min(pos, in.length);
        out.write(in, 0, pos);
        out.writeBytes(TOKENS.get(random.nextInt(6)).getBytes(StandardCharsets.ISO_8859_1));
        out.write(in, pos, in.length - pos);
      }
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] b, byte c) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }
}
