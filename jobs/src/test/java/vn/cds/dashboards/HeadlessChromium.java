package vn.cds.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real headless Chromium (Debian's /usr/bin/chromium), driven over the DevTools protocol with the JDK's own
 * WebSocket client: navigate, evaluate JavaScript, collect console errors and uncaught exceptions, take screenshots.
 */
public final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final List<String> dialogs = new CopyOnWriteArrayList<>();
  private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

  public HeadlessChromium(Path profile) throws Exception {
    String binary = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
    process = new ProcessBuilder(binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
        "--user-data-dir=" + profile.toAbsolutePath(), "--remote-debugging-port=0", "--remote-allow-origins=*", "--window-size=1400,1000",
        "--lang=vi", "about:blank").redirectErrorStream(true).start();
    String browserWs = null;
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (String line; browserWs == null && System.nanoTime() < deadline && (line = out.readLine()) != null; )
      if (line.contains("DevTools listening on ")) browserWs = line.substring(line.indexOf("ws://"));
    if (browserWs == null) throw new IllegalStateException("Chromium did not start (" + binary + ")");
    Thread drain = new Thread(() -> { try { while (out.readLine() != null) { } } catch (Exception ignored) { } });
    drain.setDaemon(true);
    drain.start();
    URI http = URI.create(browserWs.replace("ws://", "http://"));
    HttpClient client = HttpClient.newHttpClient();
    JsonNode targets = JSON.readTree(client.send(HttpRequest.newBuilder(URI.create("http://" + http.getAuthority() + "/json/list")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    String pageWs = null;
    for (JsonNode t : targets) if ("page".equals(t.path("type").asText())) pageWs = t.path("webSocketDebuggerUrl").asText();
    socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(URI.create(pageWs), new Listener()).get(10, TimeUnit.SECONDS);
    call("Runtime.enable", Map.of());
    call("Log.enable", Map.of());
    call("Page.enable", Map.of());
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder buffer = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      buffer.append(data);
      if (last) {
        String text = buffer.toString();
        buffer.setLength(0);
        try {
          onMessage(JSON.readTree(text));
        } catch (Exception e) {
          errors.add("unreadable DevTools message: " + e);
        }
      }
      ws.request(1);
      return null;
    }
  }

  private void onMessage(JsonNode m) {
    if (m.has("id")) {
      CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
      if (f != null) f.complete(m);
      return;
    }
    String method = m.path("method").asText();
    JsonNode p = m.path("params");
    switch (method) {
      case "Page.loadEventFired" -> loaded.complete(null);
      case "Runtime.exceptionThrown" -> errors.add("exception: " + p.path("exceptionDetails").path("exception").path("description").asText(
          p.path("exceptionDetails").path("text").asText()));
      case "Runtime.consoleAPICalled" -> {
        if (p.path("type").asText().equals("error") || p.path("type").asText().equals("assert")) errors.add("console.error: " + p.path("args"));
      }
      case "Log.entryAdded" -> {
        if (p.path("entry").path("level").asText().equals("error")) errors.add("log: " + p.path("entry").path("text").asText() + " " + p.path("entry").path("url").asText());
      }
      case "Page.javascriptDialogOpening" -> {
        dialogs.add(p.path("message").asText());
        socket.sendText("{\"id\":" + ids.incrementAndGet() + ",\"method\":\"Page.handleJavaScriptDialog\",\"params\":{\"accept\":true}}", true);
      }
      default -> { }
    }
  }

  public JsonNode call(String method, Map<String, Object> params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(id, f);
    ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
    msg.set("params", JSON.valueToTree(params));
    socket.sendText(JSON.writeValueAsString(msg), true);
    JsonNode reply = f.get(60, TimeUnit.SECONDS);
    if (reply.has("error")) throw new IllegalStateException(method + ": " + reply.get("error"));
    return reply.path("result");
  }

  /** Opens the URL and waits for its load event. */
  public void open(String url) throws Exception {
    loaded = new CompletableFuture<>();
    call("Page.navigate", Map.of("url", url));
    loaded.get(60, TimeUnit.SECONDS);
  }

  /** Evaluates the expression (awaiting a promise) and returns its value as JSON. */
  public JsonNode eval(String expression) throws Exception {
    JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (r.has("exceptionDetails")) throw new IllegalStateException("page threw: " + r.get("exceptionDetails"));
    return r.path("result").path("value");
  }

  /** A PNG of the whole page, not only the window. */
  public void screenshot(Path png) throws Exception {
    JsonNode size = call("Page.getLayoutMetrics", Map.of()).path("cssContentSize");
    JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
        "clip", Map.of("x", 0, "y", 0, "width", size.path("width").asDouble(1400), "height", size.path("height").asDouble(1000), "scale", 1)));
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.write(png, Base64.getDecoder().decode(shot.path("data").asText()));
  }

  public List<String> errors() {
    return new ArrayList<>(errors);
  }

  public List<String> dialogs() {
    return new ArrayList<>(dialogs);
  }

  @Override
  public void close() {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // the browser goes anyway
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
