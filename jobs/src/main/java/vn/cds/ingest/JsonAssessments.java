package vn.cds.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import vn.cds.catalog.MiniJsonSchema;
import vn.cds.ingest.ExportColumns.Role;
import vn.cds.ingest.RawRecords.FileSummary;
import vn.cds.ingest.RawRecords.ParsedFile;
import vn.cds.ingest.RawRecords.RawRow;

/**
 * One JSON document per unit assessment (schemas/exports/assessment.schema.json), or an array of them. Each
 * document is one row, numbered from 1; cell references are JSON pointers such as /scores/DH4.
 */
final class JsonAssessments {
  private JsonAssessments() {}

  static final String SCHEMA = "assessment.schema.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static volatile MiniJsonSchema schema;

  private static MiniJsonSchema schema() throws IOException {
    if (schema == null) {
      try (InputStream in = JsonAssessments.class.getResourceAsStream("/" + SCHEMA)) {
        schema = new MiniJsonSchema(JSON.readTree(in));
      }
    }
    return schema;
  }

  static ParsedFile parse(byte[] bytes, String name, String sha) {
    JsonNode root;
    MiniJsonSchema validator;
    try {
      root = JSON.readTree(bytes);
      validator = schema();
    } catch (JsonProcessingException e) {
      // Jackson's limits (nesting depth 1,000, string length, document size) end here too, some without a location
      String where = e.getLocation() == null ? "" : ", dòng " + e.getLocation().getLineNr() + " cột " + e.getLocation().getColumnNr();
      return ExportReader.failed(name, "json", sha, bytes.length, Reasons.FILE_UNREADABLE,
          "JSON không hợp lệ" + where + " (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
    } catch (IOException e) {
      return ExportReader.failed(name, "json", sha, bytes.length, Reasons.FILE_UNREADABLE, e.getMessage());
    }
    if (root == null || root.isMissingNode() || (root.isArray() && root.isEmpty()))
      return ExportReader.failed(name, "json", sha, bytes.length, Reasons.FILE_EMPTY, "no document");
    List<JsonNode> docs = new ArrayList<>();
    if (root.isArray()) root.forEach(docs::add);
    else docs.add(root);
    List<RawRow> rows = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      String base = root.isArray() ? "/" + i : "";
      rows.add(row(docs.get(i), base, validator, name, i + 1));
    }
    return new ParsedFile(new FileSummary(name, "json", sha, bytes.length, null, null, rows.size(), null, null, List.of(), List.of()), rows);
  }

  private static RawRow row(JsonNode doc, String base, MiniJsonSchema validator, String file, int number) {
    RowBuilder b = new RowBuilder();
    List<String> problems = validator.validate(doc);
    if (!problems.isEmpty()) b.issue(base.isEmpty() ? "/" : base, null, null, Reasons.JSON_SCHEMA_INVALID, String.join("; ", problems));
    if (!doc.isObject()) return b.build(file, "json", null, number);
    RowBuilder.FIELD_NAMES.forEach((field, role) -> {
      if (doc.has(field) || role == Role.STATUS) b.field(role, base + "/" + field, field, text(doc.get(field)));
    });
    JsonNode scores = doc.get("scores");
    if (scores != null && scores.isObject())
      scores.fields().forEachRemaining(e -> b.cell(base + "/scores/" + e.getKey(), e.getKey(), e.getKey().trim().toUpperCase(), text(e.getValue())));
    JsonNode declared = doc.get("declared");
    if (declared != null && declared.isObject())
      declared.fields().forEachRemaining(g -> {
        for (String kind : List.of("points", "level"))
          if (g.getValue().has(kind))
            b.declared(base + "/declared/" + g.getKey() + "/" + kind, kind, g.getKey().toUpperCase(), kind, text(g.getValue().get(kind)));
      });
    return b.build(file, "json", null, number);
  }

  private static String text(JsonNode v) {
    if (v == null || v.isNull()) return null;
    if (v.isNumber()) return new BigDecimal(v.asText()).stripTrailingZeros().toPlainString();
    if (v.isBoolean()) return v.asBoolean() ? "Đạt" : "Chưa đạt";
    return v.isValueNode() ? v.asText() : v.toString();
  }
}
