package vn.cds.pipeline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One writer per output folder. A writer holds an OS lock on {@code <out>/.cds.lock} ({@link FileChannel#tryLock}: the
 * kernel drops it when the process dies, however it dies) and writes in the file who it is: pid, host, start time and
 * command. A second writer refuses at once, naming the holder, or waits for it. On release the file is emptied, never
 * deleted: a deleted lock file would let a waiter lock the old file and a newcomer a new one, both "holding" the lock.
 * So a file that still names a holder when its lock is free was left by a killed run; it is taken over, said so.
 *
 * <p>Within one process the lock is re-entrant: the CLI takes it before Spark starts (a refusal costs no Spark start)
 * and the pipeline takes it again, so a run started from code is covered too. The holder never opens the file a second
 * time: closing any descriptor of a file drops the process's POSIX locks on it.
 */
public final class OutputLock implements AutoCloseable {
  public static final String FILE = ".cds.lock";

  /** The folder is another process's: the message names it. */
  public static final class BusyException extends RuntimeException {
    BusyException(String message) {
      super(message);
    }
  }

  private static final Map<Path, OutputLock> HELD = new HashMap<>();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private int holds = 1;

  private OutputLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code dir} (created if missing) for {@code command}, or refuses with a {@link BusyException}
   * naming the holder; with {@code wait}, waits for it instead. {@code say} gets the lines a person should read.
   */
  public static synchronized OutputLock acquire(Path dir, String command, boolean wait, Consumer<String> say) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.toRealPath().resolve(FILE); // one key per folder, however it is named (a symlink, "..")
    OutputLock held = HELD.get(file);
    if (held != null) {
      held.holds++;
      return held;
    }
    // who this run is, before the lock: the host name lookup can take a while, and a rival reads the file meanwhile
    String self = holderText(command);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        String holder = describe(holderLine(file));
        if (!wait) throw new BusyException("Thư mục đầu ra " + dir + " đang được một lần chạy khác dùng: " + holder
            + " (the output folder is in use by another run; wait for it to end, or add --wait)");
        say.accept("Đang chờ lần chạy khác xong (waiting for the run that holds " + dir + "): " + holder);
        lock = channel.lock();
        self = holderText(command); // held from now, not from when it began to wait
      }
      String left = read(channel);
      if (!left.isBlank()) say.accept("Lần chạy trước đã dừng giữa chừng và để lại khóa: " + describe(left) + "; lấy lại khóa, dọn phần còn sót "
          + "(a killed run's lock, taken over; its leftovers are tidied under this lock)");
      write(channel, self);
      OutputLock taken = new OutputLock(file, channel, lock);
      HELD.put(file, taken);
      return taken;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Empties the file and releases the lock, once every holder in this process has closed it. */
  @Override
  public void close() throws IOException {
    synchronized (OutputLock.class) {
      if (--holds > 0) return;
      HELD.remove(file);
      try {
        channel.truncate(0);
        lock.release();
      } finally {
        channel.close();
      }
    }
  }

  private static String holderText(String command) {
    return "pid=" + ProcessHandle.current().pid() + "\nhost=" + host() + "\nstarted=" + Instant.now().truncatedTo(ChronoUnit.SECONDS)
        + "\ncommand=" + command.replace('\n', ' ') + "\n";
  }

  /** "pid 123 trên máy h, từ 2026-01-05T01:02:03Z, lệnh: cds run --out out" from the file's lines. */
  static String describe(String content) {
    Map<String, String> info = new LinkedHashMap<>();
    content.lines().filter(l -> l.contains("=")).forEach(l -> info.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
    if (info.isEmpty()) return "(chưa ghi thông tin, no details yet)";
    return "pid " + info.get("pid") + " trên máy " + info.get("host") + ", từ " + info.get("started") + ", lệnh: " + info.get("command");
  }

  /**
   * The holder's line. A holder writes it just after it takes the lock, so a rival that comes in between finds the file
   * empty: it looks again for up to two seconds before saying there are no details. A second descriptor is harmless
   * here: this process holds nothing on the file.
   */
  private static String holderLine(Path file) throws IOException {
    String content = Files.readString(file, StandardCharsets.UTF_8);
    for (int i = 0; i < 20 && content.isBlank(); i++) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      content = Files.readString(file, StandardCharsets.UTF_8);
    }
    return content;
  }

  private static String read(FileChannel channel) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(channel.size(), 64 * 1024));
    channel.read(buf, 0);
    return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
  }

  private static void write(FileChannel channel, String content) throws IOException {
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)), 0);
    channel.force(false);
  }

  private static String host() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "?";
    }
  }
}
