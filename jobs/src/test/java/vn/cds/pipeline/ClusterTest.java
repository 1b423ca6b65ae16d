package vn.cds.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.cds.TestSupport;

/**
 * The same jobs on a real Spark standalone cluster: a master and a worker started from the Maven jars on 127.0.0.1
 * (a Spark home of symlinks, as stack.md section 4 found), and a real HDFS (a namenode and a datanode in this JVM) for
 * the lake, as a cluster of several hosts needs storage every executor reaches. `cds run --master spark://… --lake
 * hdfs://…` with a thin application jar, and the mart compared with a local run's. Everything is stopped at the end,
 * whatever happens.
 */
class ClusterTest {
  @TempDir Path dir;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static List<String> runtimeJars() throws Exception {
    Path cp = TestSupport.repoRoot().resolve("jobs/target/runtime-classpath.txt");
    return List.of(Files.readString(cp).trim().split(java.io.File.pathSeparator));
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Starts a daemon and waits for the line that says it is up. */
  private static Process start(List<String> cmd, Map<String, String> env, String ready, Path log) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (String line; System.nanoTime() < deadline && (line = r.readLine()) != null; ) {
      seen.append(line).append('\n');
      if (line.contains(ready)) {
        Thread drain = new Thread(() -> {
          try (var out = Files.newBufferedWriter(log)) {
            for (String l; (l = r.readLine()) != null; ) {
              out.write(l + "\n");
              out.flush(); // read while the daemon still runs
            }
          } catch (Exception ignored) {
            // the daemon was stopped
          }
        });
        drain.setDaemon(true);
        drain.start();
        return p;
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("did not start (" + ready + "):\n" + seen);
  }

  private static void stop(Process p) throws Exception {
    if (p == null) return;
    p.descendants().forEach(ProcessHandle::destroyForcibly); // the worker's executors
    p.destroyForcibly();
    p.waitFor(20, TimeUnit.SECONDS);
  }

  /** Runs the CLI in its own JVM (it stops its SparkSession at the end) and returns its output; it must exit 0. */
  private static String cds(Map<String, String> env, List<String> jvmOptions, String... args) throws Exception {
    // the C1 JIT alone, driver and executors, as the launcher gives a run of the sample (its cluster run: 128 s -> 93 s)
    List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx2g", "-XX:TieredStopAtLevel=1", "-Dspark.executor.extraJavaOptions=-XX:TieredStopAtLevel=1",
        TestSupport.jvmOptions(), "-Dcds.home=" + TestSupport.repoRoot()));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1", "-Dspark.executor.memory=1g", "-Dspark.cores.max=2",
        // HDFS's client closes a file only once the namenode has the datanode's report of its block, asking first after
        // 400 ms; the mini cluster's datanode reports within milliseconds, so each of the lake's small files waited
        // ~0.4 s (the lake stage 18.6 s -> 6.9 s here). A real cluster keeps its own client settings.
        "-Dspark.hadoop.dfs.client.block.write.locateFollowingBlock.initial.delay.ms=10",
        "-cp", TestSupport.childClassPath(), "vn.cds.Cli"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process run = pb.start();
    String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(run.waitFor(600, TimeUnit.SECONDS));
    assertEquals(0, run.exitValue(), output);
    return output;
  }

  @Test
  void theSampleOnAStandaloneClusterGivesTheLocalMart() throws Exception {
    Path sparkHome = Files.createDirectories(dir.resolve("spark-home/jars"));
    Files.createFile(dir.resolve("spark-home/RELEASE"));
    for (String jar : runtimeJars()) Files.createSymbolicLink(sparkHome.resolve(Path.of(jar).getFileName()), Path.of(jar));
    String classpath = String.join(java.io.File.pathSeparator, runtimeJars());
    int masterPort = freePort();
    Map<String, String> env = Map.of("SPARK_LOCAL_IP", "127.0.0.1", "SPARK_HOME", dir.resolve("spark-home").toString(), "SPARK_SCALA_VERSION", "2.13");
    Process master = null, worker = null;
    org.apache.hadoop.conf.Configuration dfsConf = new org.apache.hadoop.conf.Configuration();
    dfsConf.set(org.apache.hadoop.hdfs.MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
    org.apache.hadoop.hdfs.MiniDFSCluster hdfs = null;
    try {
      hdfs = new org.apache.hadoop.hdfs.MiniDFSCluster.Builder(dfsConf).numDataNodes(1).build();
      hdfs.waitActive();
      String lakeUri = hdfs.getURI() + "/cds/lake";
      master = start(List.of(java(), "-Xmx512m", "-cp", classpath, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
          String.valueOf(masterPort), "--webui-port", String.valueOf(freePort())), env, "I have been elected leader", dir.resolve("master.log"));
      worker = start(List.of(java(), "-Xmx512m", "-cp", classpath, "org.apache.spark.deploy.worker.Worker", "spark://127.0.0.1:" + masterPort,
          "--host", "127.0.0.1", "--cores", "2", "--memory", "3g", "--webui-port", String.valueOf(freePort()), "--work-dir",
          Files.createDirectories(dir.resolve("work")).toString()), env, "Successfully registered with master", dir.resolve("worker.log"));

      Path sample = TestSupport.repoRoot().resolve("sample-data"), clusterOut = dir.resolve("cluster");
      String output = cds(env, List.of("-Dspark.jars=" + TestSupport.appJar()), "run", "--input", sample.toString(), "--out", clusterOut.toString(), "--lake", lakeUri,
          "--master", "spark://127.0.0.1:" + masterPort);
      assertTrue(output.contains("5,279 dòng đọc = 5,267 nhận + 10 loại + 2 thay thế ✓"), output);
      String workerLog = Files.readString(dir.resolve("worker.log"));
      assertTrue(workerLog.contains("Asked to launch executor"), "the work ran on the worker's executors:\n" + workerLog);
      org.apache.hadoop.fs.FileSystem dfs = hdfs.getFileSystem();
      List<String> years = java.util.Arrays.stream(dfs.listStatus(new org.apache.hadoop.fs.Path("/cds/lake/group_result")))
          .map(st -> st.getPath().getName()).sorted().toList();
      assertEquals(List.of("school_year=2022-2023", "school_year=2023-2024", "school_year=2024-2025", "school_year=2025-2026"), years, "the lake is on HDFS");
      assertTrue(Files.isDirectory(clusterOut.resolve("lake-copy/group_result/school_year=2025-2026")), "the mart's local copy of the lake");
      assertTrue(!Files.exists(clusterOut.resolve("lake")), "no local lake beside the HDFS one");

      Map<String, String> local = ReingestTest.dump(TestSupport.sampleRun().mart()), cluster = ReingestTest.dump(clusterOut.resolve("mart/cds.duckdb"));
      List<String> differing = local.keySet().stream().filter(t -> !local.get(t).equals(cluster.get(t))).toList();
      for (String t : differing) { // the first differing line of each, for whoever reads the failure
        List<String> a = local.get(t).lines().toList(), b = cluster.get(t) == null ? List.of() : cluster.get(t).lines().toList();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++)
          if (i >= a.size() || i >= b.size() || !a.get(i).equals(b.get(i))) {
            System.err.println(t + " line " + i + "\n  local:   " + (i < a.size() ? a.get(i) : "-") + "\n  cluster: " + (i < b.size() ? b.get(i) : "-"));
            break;
          }
      }
      assertEquals(List.of(), differing, "tables whose content differs between the cluster's mart and the local run's");
      assertEquals(local.keySet(), cluster.keySet());

      // the inspection sample drawn on purpose, over the HDFS lake, lands in the lake and in the local mart
      String drawn = cds(env, List.of(), "inspect-sample", "--year", "2025-2026", "--share", "0.5", "--seed", "11",
          "--out", clusterOut.toString(), "--lake", lakeUri, "--master", "local[2]");
      assertTrue(drawn.contains("Mẫu kiểm tra 2025-2026 (inspection sample): 592 đơn vị thuộc 104 đơn vị quản lý"), drawn);
      assertTrue(dfs.exists(new org.apache.hadoop.fs.Path("/cds/lake/inspection_sample/school_year=2025-2026")));
      try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + clusterOut.resolve("mart/cds.duckdb"));
          java.sql.ResultSet rs = c.createStatement().executeQuery(
              "SELECT count(*) FILTER (source = 'command'), count(*) FROM v_inspection_sample WHERE school_year = '2025-2026'")) {
        rs.next();
        assertEquals(592, rs.getLong(1), "the drawn sample, in the local mart");
        assertEquals(592, rs.getLong(2), "every unit of the year's sample is now the drawn one");
      }
    } finally {
      stop(worker);
      stop(master);
      if (hdfs != null) hdfs.shutdown();
    }
  }
}
