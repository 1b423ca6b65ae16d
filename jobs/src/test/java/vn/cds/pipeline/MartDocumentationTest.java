package vn.cds.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import vn.cds.TestSupport;

/** schemas/mart/views.json and the mart agree: the same views, the same columns in the same order, the same types. */
class MartDocumentationTest {
  @Test
  void everyViewIsDocumentedColumnByColumn() throws Exception {
    JsonNode doc = new ObjectMapper().readTree(TestSupport.repoRoot().resolve("schemas/mart/views.json").toFile()).get("views");
    Map<String, List<String>> documented = new TreeMap<>();
    doc.fields().forEachRemaining(v -> {
      List<String> cols = new ArrayList<>();
      v.getValue().get("columns").forEach(c -> cols.add(c.get("name").asText() + " " + c.get("type").asText()));
      documented.put(v.getKey(), cols);
    });
    Properties ro = new Properties();
    ro.setProperty("duckdb.read_only", "true");
    Map<String, List<String>> actual = new TreeMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + TestSupport.sampleRun().mart(), ro); Statement st = c.createStatement()) {
      List<String> views = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT view_name FROM duckdb_views() WHERE NOT internal AND view_name LIKE 'v\\_%' ESCAPE '\\'")) {
        while (rs.next()) views.add(rs.getString(1));
      }
      for (String v : views) {
        List<String> cols = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("DESCRIBE " + v)) {
          while (rs.next()) cols.add(rs.getString("column_name") + " " + rs.getString("column_type"));
        }
        actual.put(v, cols);
      }
    }
    assertEquals(documented, actual);
  }
}
