package dev.plonk.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * OpenFaaS's JSON contracts as faas-provider's Go types declare them (types/model.go): each field's JSON type and
 * whether it carries {@code omitempty}. A document is checked field by field: no unknown field, every field of the
 * right type, every field without omitempty present, and no omitempty field holding its zero value.
 */
final class OpenFaasShapes {
  /** A field's JSON node type and whether Go omits it when empty. */
  record Field(String type, boolean omitEmpty, Map<String, Field> nested) {
    static Field of(String type, boolean omitEmpty) {
      return new Field(type, omitEmpty, null);
    }
  }

  private static final Map<String, Field> RESOURCES = Map.of(
      "memory", Field.of("STRING", true), "cpu", Field.of("STRING", true));

  /** {@code types.FunctionStatus} (with {@code usage}, {@code types.FunctionUsage}). */
  static final Map<String, Field> FUNCTION_STATUS = Map.ofEntries(
      Map.entry("name", Field.of("STRING", false)),
      Map.entry("image", Field.of("STRING", false)),
      Map.entry("namespace", Field.of("STRING", true)),
      Map.entry("envProcess", Field.of("STRING", true)),
      Map.entry("envVars", Field.of("OBJECT", true)),
      Map.entry("constraints", Field.of("ARRAY", true)),
      Map.entry("secrets", Field.of("ARRAY", true)),
      Map.entry("labels", Field.of("OBJECT", true)),
      Map.entry("annotations", Field.of("OBJECT", true)),
      Map.entry("limits", new Field("OBJECT", true, RESOURCES)),
      Map.entry("requests", new Field("OBJECT", true, RESOURCES)),
      Map.entry("readOnlyRootFilesystem", Field.of("BOOLEAN", true)),
      Map.entry("invocationCount", Field.of("NUMBER", true)),
      Map.entry("replicas", Field.of("NUMBER", true)),
      Map.entry("availableReplicas", Field.of("NUMBER", true)),
      Map.entry("createdAt", Field.of("STRING", false)), // time.Time: omitempty never omits a struct
      Map.entry("usage", new Field("OBJECT", true, Map.of(
          "cpu", Field.of("NUMBER", true), "totalMemoryBytes", Field.of("NUMBER", true)))));

  private OpenFaasShapes() {}

  static void check(String where, JsonNode document, Map<String, Field> shape) {
    assertThat(document.isObject()).as(where + " is an object").isTrue();
    document.fieldNames().forEachRemaining(name -> assertThat(shape).as(where + " has no field '" + name + "' in "
        + "OpenFaaS's type").containsKey(name));
    shape.forEach((name, field) -> {
      JsonNode value = document.get(name);
      if (value == null) {
        assertThat(field.omitEmpty()).as(where + "." + name + " has no omitempty, so it is always present").isTrue();
        return;
      }
      assertThat(value.getNodeType().name()).as(where + "." + name + " type").isEqualTo(field.type());
      if (field.omitEmpty()) {
        assertThat(isZero(value)).as(where + "." + name + " is omitempty: a zero value is left out, not " + value)
            .isFalse();
      }
      if (field.nested() != null) {
        check(where + "." + name, value, field.nested());
      }
    });
  }

  private static boolean isZero(JsonNode value) {
    return value.isNull() || value.isTextual() && value.asText().isEmpty() || value.isContainerNode() && value.isEmpty()
        || value.isNumber() && value.asDouble() == 0 || value.isBoolean() && !value.asBoolean();
  }
}
