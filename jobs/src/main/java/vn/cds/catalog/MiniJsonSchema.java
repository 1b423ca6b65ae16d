package vn.cds.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validates a JSON document against the subset of JSON Schema (2020-12) our schemas use: type, required,
 * properties, additionalProperties=false, items, enum, minimum, maximum, minItems, minLength, pattern and local
 * $ref. Kept in-house because validator libraries pin a Jackson that clashes with Spark's.
 */
public final class MiniJsonSchema {
  private final JsonNode root;

  public MiniJsonSchema(JsonNode schemaRoot) {
    this.root = schemaRoot;
  }

  /** Problems as "path: message", path in JSON-pointer style (e.g. /groups/0/criteria/3/max_points). */
  public List<String> validate(JsonNode doc) {
    List<String> problems = new ArrayList<>();
    check(root, doc, "", problems);
    return problems;
  }

  private JsonNode resolve(JsonNode schema) {
    JsonNode ref = schema.get("$ref");
    if (ref == null) return schema;
    String pointer = ref.asText();
    if (!pointer.startsWith("#")) throw new IllegalArgumentException("only local $ref supported: " + pointer);
    return resolve(root.at(pointer.substring(1)));
  }

  private void check(JsonNode rawSchema, JsonNode value, String path, List<String> problems) {
    JsonNode schema = resolve(rawSchema);
    String where = path.isEmpty() ? "/" : path;
    if (schema.has("enum")) {
      boolean found = false;
      for (JsonNode option : schema.get("enum")) found |= option.equals(value);
      if (!found) {
        problems.add(where + ": value " + value + " is not one of " + schema.get("enum"));
        return;
      }
    }
    if (schema.has("type") && !hasType(value, schema.get("type").asText())) {
      problems.add(where + ": expected " + schema.get("type").asText() + " but found " + describe(value));
      return;
    }
    if (value.isObject()) checkObject(schema, value, path, problems);
    if (value.isArray()) {
      if (schema.has("minItems") && value.size() < schema.get("minItems").asInt())
        problems.add(where + ": needs at least " + schema.get("minItems").asInt() + " item(s)");
      if (schema.has("items"))
        for (int i = 0; i < value.size(); i++) check(schema.get("items"), value.get(i), path + "/" + i, problems);
    }
    if (value.isNumber()) {
      if (schema.has("minimum") && value.asDouble() < schema.get("minimum").asDouble())
        problems.add(where + ": " + value + " is below the minimum " + schema.get("minimum"));
      if (schema.has("maximum") && value.asDouble() > schema.get("maximum").asDouble())
        problems.add(where + ": " + value + " is above the maximum " + schema.get("maximum"));
    }
    if (value.isTextual()) {
      if (schema.has("minLength") && value.asText().length() < schema.get("minLength").asInt())
        problems.add(where + ": must not be empty");
      if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find())
        problems.add(where + ": \"" + value.asText() + "\" does not match " + schema.get("pattern").asText());
    }
  }

  private void checkObject(JsonNode schema, JsonNode value, String path, List<String> problems) {
    String where = path.isEmpty() ? "/" : path;
    if (schema.has("required"))
      for (JsonNode name : schema.get("required"))
        if (!value.has(name.asText())) problems.add(where + ": missing required field \"" + name.asText() + "\"");
    JsonNode props = schema.get("properties");
    boolean closed = schema.has("additionalProperties") && !schema.get("additionalProperties").asBoolean(true);
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (props != null && props.has(field.getKey())) {
        check(props.get(field.getKey()), field.getValue(), path + "/" + field.getKey(), problems);
      } else if (closed) {
        problems.add(where + ": unknown field \"" + field.getKey() + "\"");
      }
    }
  }

  private static boolean hasType(JsonNode v, String type) {
    return switch (type) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isTextual();
      case "number" -> v.isNumber();
      case "integer" -> v.isIntegralNumber() || (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()));
      case "boolean" -> v.isBoolean();
      case "null" -> v.isNull();
      default -> throw new IllegalArgumentException("unsupported type " + type);
    };
  }

  private static String describe(JsonNode v) {
    if (v.isObject()) return "an object";
    if (v.isArray()) return "an array";
    if (v.isTextual()) return "the string \"" + v.asText() + "\"";
    if (v.isNull()) return "null";
    return v.getNodeType().name().toLowerCase() + " " + v;
  }
}
