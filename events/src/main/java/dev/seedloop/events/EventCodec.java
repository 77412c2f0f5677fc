package dev.seedloop.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON codec for {@link EventEnvelope}s; the only place that knows the wire format.
 *
 * <p>Wire format (compact, UTF-8, field order fixed, nulls written):
 * {@code {"eventId","type","version","studyId","team","occurredAt","causationId","correlationId","producer","payload"}}
 * where {@code occurredAt} is {@link Instant#toString()} and {@code payload} holds the record's
 * components in declaration order. Encoding always writes the payload type's current version.
 *
 * <p>Decoding is strict about what the reader needs and lenient about what it does not: missing or
 * null required fields, wrong JSON types, unknown types and versions newer than the registry fail
 * with an {@link EventDecodingException}; unknown extra fields are ignored so producers can add
 * optional fields within a version. Older versions are migrated with {@link Upcaster}s.
 *
 * <p>Thread-safe: the internal mapper is configured once and never exposed, and what the codec reads of
 * each record class is read once into immutable values in a concurrent map.
 */
public final class EventCodec {

    private static final List<Upcaster> BUILT_IN_UPCASTERS = List.of(new StudyCreatedV1Upcaster(),
            new StudyCreatedV2Upcaster(), new ExperimentFailedV1Upcaster(), new EvaluationCompletedV1Upcaster(),
            // Uploaded workspaces (StudyCreated v4: workspace.tree, validation.heldOutData; ProposalCreated v2:
            // parentTree, diffs; ExperimentStarted/Completed v2: trees; ExperimentFailed v3: patch-refused).
            new AbsentFieldsUpcaster(EventTypes.STUDY_CREATED, 3, List.of()),
            new AbsentFieldsUpcaster(EventTypes.PROPOSAL_CREATED, 1, List.of("parentTree")),
            new AbsentFieldsUpcaster(EventTypes.EXPERIMENT_STARTED, 1, List.of("parentTree", "tree")),
            new AbsentFieldsUpcaster(EventTypes.EXPERIMENT_COMPLETED, 1, List.of("tree")),
            new AbsentFieldsUpcaster(EventTypes.EXPERIMENT_FAILED, 2, List.of()),
            // v5 added budget.model (nested: absent means no cap).
            new AbsentFieldsUpcaster(EventTypes.STUDY_CREATED, 4, List.of()),
            new StrategyUpdatedV1Upcaster());
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };

    private final ObjectMapper mapper;
    private final EventTypeRegistry registry;
    private final Map<String, Map<Integer, Upcaster>> upcasters = new HashMap<>();
    private final Map<Class<?>, Shape> shapes = new ConcurrentHashMap<>();

    /** Production registry with the built-in upcasters. */
    public EventCodec() {
        this(BUILT_IN_UPCASTERS, EventTypes.registry());
    }

    /**
     * Codec over a custom registry, e.g. production types plus a test type.
     *
     * @throws IllegalArgumentException if an upcaster names an unregistered type, a version outside
     *                                  {@code [1, current)} or duplicates another upcaster's step
     */
    public EventCodec(List<Upcaster> upcasters, EventTypeRegistry registry) {
        this.registry = Checks.notNull(registry, "registry");
        for (Upcaster u : Checks.list(upcasters, "upcasters")) {
            int current = registry.forName(u.type())
                    .orElseThrow(() -> new IllegalArgumentException("upcaster for unregistered type '" + u.type() + "'"))
                    .version();
            if (u.fromVersion() < 1 || u.fromVersion() >= current) {
                throw new IllegalArgumentException("upcaster " + u.type() + " v" + u.fromVersion()
                        + " is outside [1, " + current + ")");
            }
            if (this.upcasters.computeIfAbsent(u.type(), k -> new HashMap<>()).putIfAbsent(u.fromVersion(), u) != null) {
                throw new IllegalArgumentException("duplicate upcaster " + u.type() + " v" + u.fromVersion());
            }
        }
        this.mapper = JsonMapper.builder()
                // Forward compatibility: producers may add optional fields within a version.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // "ordinal": "3" or "ordinal": 3.7 is a producer bug, not something to guess around.
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .withCoercionConfig(LogicalType.Textual, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .build();
    }

    /** The upcasters that ship with this module, one per retired version step. */
    public static List<Upcaster> builtInUpcasters() {
        return BUILT_IN_UPCASTERS;
    }

    public EventTypeRegistry registry() {
        return registry;
    }

    /** @throws IllegalArgumentException if the payload class is not in this codec's registry */
    public byte[] encode(EventEnvelope envelope) {
        Checks.notNull(envelope, "envelope");
        EventType type = registry.forPayload(envelope.payload().getClass());
        // Written straight to bytes: a tree of the payload first would copy a 90 KB StrategyUpdated once more.
        ByteArrayBuilder out = new ByteArrayBuilder();
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("eventId", envelope.eventId().toString());
            g.writeStringField("type", type.name());
            g.writeNumberField("version", type.version());
            g.writeStringField("studyId", envelope.studyId());
            g.writeStringField("team", envelope.team());
            g.writeStringField("occurredAt", envelope.occurredAt().toString());
            g.writeStringField("causationId", envelope.causationId() == null ? null : envelope.causationId().toString());
            g.writeStringField("correlationId", envelope.correlationId().toString());
            g.writeStringField("producer", envelope.producer());
            g.writeFieldName("payload");
            writePayload(g, envelope.payload());
            g.writeEndObject();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + type.name() + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A payload record Jackson cannot write is the caller's bad argument, not a failure to write the
     * envelope: an IllegalArgumentException with Jackson's message, as {@link ObjectMapper#valueToTree} reports it.
     */
    private void writePayload(JsonGenerator g, EventPayload payload) throws IOException {
        try {
            mapper.writeValue(g, payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public String encodeToString(EventEnvelope envelope) {
        return new String(encode(envelope), StandardCharsets.UTF_8);
    }

    public EventEnvelope decode(String json) {
        Checks.notNull(json, "json");
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws EventDecodingException for anything that is not a valid event of a registered type */
    public EventEnvelope decode(byte[] json) {
        Checks.notNull(json, "json");
        JsonNode root = parse(json);

        JsonNode typeNode = root.get("type");
        if (typeNode == null || typeNode.isNull()) {
            throw new EventDecodingException("event: field 'type' is missing", null, "type");
        }
        if (!typeNode.isTextual()) {
            throw new EventDecodingException("event: field 'type' has wrong type: expected a string", null, "type");
        }
        String typeName = typeNode.asText();
        EventType type = registry.forName(typeName).orElse(null);
        if (type == null) {
            JsonNode v = root.get("version");
            throw new EventDecodingException("unknown event type '" + typeName + "' (version "
                    + (v != null && v.isInt() ? v.asInt() : "?") + ")", null, "type");
        }

        JsonNode versionNode = root.get("version");
        if (versionNode == null || versionNode.isNull()) {
            throw new EventDecodingException(typeName + ": field 'version' is missing", typeName, "version");
        }
        if (!versionNode.isInt()) {
            throw new EventDecodingException(typeName + ": field 'version' has wrong type: expected an integer", typeName, "version");
        }
        int version = versionNode.asInt();
        if (version > type.version()) {
            throw new EventDecodingException(typeName + ": version " + version + " is newer than this reader's "
                    + type.version(), typeName, "version");
        }
        if (version < 1) {
            throw new EventDecodingException(typeName + ": field 'version' must be >= 1 but was " + version, typeName, "version");
        }
        String ctx = typeName + " v" + version + (version < type.version() ? " (upcast to v" + type.version() + ")" : "");

        UUID eventId = uuid(root, "eventId", false, ctx, typeName);
        String studyId = text(root, "studyId", ctx, typeName);
        String team = text(root, "team", ctx, typeName);
        String occurredAtText = text(root, "occurredAt", ctx, typeName);
        Instant occurredAt;
        try {
            occurredAt = Instant.parse(occurredAtText);
        } catch (DateTimeParseException e) {
            throw new EventDecodingException(ctx + ": field 'occurredAt' is not an ISO-8601 instant: '" + occurredAtText + "'",
                    typeName, "occurredAt", e);
        }
        UUID causationId = uuid(root, "causationId", true, ctx, typeName);
        UUID correlationId = uuid(root, "correlationId", false, ctx, typeName);
        String producer = text(root, "producer", ctx, typeName);
        JsonNode payloadNode = required(root, "payload", "payload", ctx, typeName);
        if (!payloadNode.isObject()) {
            throw new EventDecodingException(ctx + ": field 'payload' has wrong type: expected an object", typeName, "payload");
        }

        ObjectNode payload = upcast((ObjectNode) payloadNode, typeName, version, type.version(), ctx);
        checkRequired(type.payloadClass(), payload, FieldPath.PAYLOAD, ctx, typeName);
        EventPayload body = bind(payload, type.payloadClass(), ctx, typeName);
        try {
            return new EventEnvelope(eventId, studyId, team, occurredAt, causationId, correlationId, producer, body);
        } catch (IllegalArgumentException e) {
            throw new EventDecodingException(ctx + ": invalid envelope: " + e.getMessage(), typeName, null, e);
        }
    }

    private JsonNode parse(byte[] json) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr();
            throw new EventDecodingException("malformed JSON" + where + ": " + firstLine(e.getOriginalMessage()), null, null, e);
        } catch (IOException e) {
            throw new EventDecodingException("malformed JSON: " + e.getMessage(), null, null, e);
        }
        if (root == null || !root.isObject()) {
            throw new EventDecodingException("malformed JSON: expected an object at the top level", null, null);
        }
        return root;
    }

    private ObjectNode upcast(ObjectNode payload, String typeName, int from, int current, String ctx) {
        if (from == current) {
            return payload;
        }
        Map<String, Object> value = mapper.convertValue(payload, MAP);
        for (int v = from; v < current; v++) {
            Upcaster step = upcasters.getOrDefault(typeName, Map.of()).get(v);
            if (step == null) {
                throw new EventDecodingException(typeName + ": no upcaster from version " + v + " to " + (v + 1)
                        + " (needed to read version " + from + ")", typeName, "version");
            }
            try {
                value = step.upcast(value);
            } catch (RuntimeException e) {
                throw new EventDecodingException(ctx + ": upcaster from version " + v + " failed: " + e.getMessage(),
                        typeName, "payload", e);
            }
            if (value == null) {
                throw new EventDecodingException(ctx + ": upcaster from version " + v + " returned null", typeName, "payload");
            }
        }
        JsonNode tree = mapper.valueToTree(value);
        if (!(tree instanceof ObjectNode object)) {
            throw new EventDecodingException(ctx + ": upcast payload is not an object", typeName, "payload");
        }
        return object;
    }

    /**
     * Jackson fills missing record components with null/0, which would silently turn a truncated
     * event into a plausible one; so required components are checked against the tree first.
     */
    private void checkRequired(Class<?> recordClass, JsonNode node, FieldPath path, String ctx, String typeName) {
        for (Component c : shape(recordClass).components()) {
            JsonNode v = node.get(c.name());
            if (v == null || v.isMissingNode()) {
                if (!c.nullable()) {
                    String p = path.field(c.name()).toString();
                    throw new EventDecodingException(ctx + ": field '" + p + "' is missing", typeName, p);
                }
                continue;
            }
            if (v.isNull()) {
                if (!c.nullable()) {
                    String p = path.field(c.name()).toString();
                    throw new EventDecodingException(ctx + ": field '" + p + "' must not be null", typeName, p);
                }
                continue;
            }
            if (c.record() != null && v.isObject()) {
                checkRequired(c.record(), v, path.field(c.name()), ctx, typeName);
            } else if (c.elementRecord() != null && v.isArray()) {
                FieldPath list = path.field(c.name());
                for (int i = 0; i < v.size(); i++) {
                    if (v.get(i).isObject()) {
                        checkRequired(c.elementRecord(), v.get(i), list.element(i), ctx, typeName);
                    }
                }
            }
        }
    }

    private Shape shape(Class<?> recordClass) {
        Shape s = shapes.get(recordClass);
        return s != null ? s : shapes.computeIfAbsent(recordClass, Shape::of);
    }

    /**
     * What {@link #checkRequired} needs of a record class, read once per class and codec. Reflection
     * hands out new RecordComponent objects and parses their annotations again on every call, which
     * made up most of the time to decode a StrategyUpdated of 500 observations. Plain
     * java.lang.reflect on the registered records, so a native image needs nothing new.
     */
    private record Shape(List<Component> components) {

        static Shape of(Class<?> recordClass) {
            List<Component> components = new ArrayList<>();
            for (RecordComponent rc : recordClass.getRecordComponents()) {
                Class<?> t = rc.getType();
                Class<?> element = List.class.isAssignableFrom(t) ? elementClass(rc.getGenericType()) : null;
                components.add(new Component(rc.getName(), rc.isAnnotationPresent(Nullable.class),
                        t.isRecord() ? t : null, element != null && element.isRecord() ? element : null));
            }
            return new Shape(List.copyOf(components));
        }

        private static Class<?> elementClass(Type generic) {
            if (generic instanceof ParameterizedType pt && pt.getActualTypeArguments()[0] instanceof Class<?> c) {
                return c;
            }
            return null;
        }
    }

    /** {@code record}: the component's type if that is a record; {@code elementRecord}: ditto for a List's elements. */
    private record Component(String name, boolean nullable, Class<?> record, Class<?> elementRecord) {
    }

    /**
     * Where {@link #checkRequired} is in the payload, e.g. {@code payload.searchSpace.parameters[1]}; turned
     * into text only for an error, because the success path would build a string for every field it checks.
     */
    private record FieldPath(FieldPath parent, String name, int index) {

        static final FieldPath PAYLOAD = new FieldPath(null, "payload", -1);

        FieldPath field(String child) {
            return new FieldPath(this, child, -1);
        }

        FieldPath element(int i) {
            return new FieldPath(this, null, i);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            append(sb);
            return sb.toString();
        }

        private void append(StringBuilder sb) {
            if (parent != null) {
                parent.append(sb);
            }
            if (name == null) {
                sb.append('[').append(index).append(']');
            } else {
                if (parent != null) {
                    sb.append('.');
                }
                sb.append(name);
            }
        }
    }

    private EventPayload bind(ObjectNode payload, Class<? extends EventPayload> cls, String ctx, String typeName) {
        try {
            return mapper.treeToValue(payload, cls);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String p = path(e);
            throw new EventDecodingException(ctx + ": invalid " + p + ": " + cause.getMessage(), typeName, p, e);
        } catch (MismatchedInputException e) {
            String p = path(e);
            throw new EventDecodingException(ctx + ": field '" + p + "' has wrong type: " + firstLine(e.getOriginalMessage()),
                    typeName, p, e);
        } catch (JsonMappingException e) {
            String p = path(e);
            throw new EventDecodingException(ctx + ": cannot read '" + p + "': " + firstLine(e.getOriginalMessage()),
                    typeName, p, e);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new EventDecodingException(ctx + ": cannot read payload: " + e.getMessage(), typeName, "payload", e);
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder("payload");
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static JsonNode required(JsonNode root, String name, String path, String ctx, String typeName) {
        JsonNode v = root.get(name);
        if (v == null) {
            throw new EventDecodingException(ctx + ": field '" + path + "' is missing", typeName, path);
        }
        if (v.isNull()) {
            throw new EventDecodingException(ctx + ": field '" + path + "' must not be null", typeName, path);
        }
        return v;
    }

    private static String text(JsonNode root, String name, String ctx, String typeName) {
        JsonNode v = required(root, name, name, ctx, typeName);
        if (!v.isTextual()) {
            throw new EventDecodingException(ctx + ": field '" + name + "' has wrong type: expected a string", typeName, name);
        }
        if (v.asText().isBlank()) {
            throw new EventDecodingException(ctx + ": field '" + name + "' must not be blank", typeName, name);
        }
        return v.asText();
    }

    private static UUID uuid(JsonNode root, String name, boolean nullable, String ctx, String typeName) {
        JsonNode v = root.get(name);
        if (nullable && (v == null || v.isNull())) {
            return null;
        }
        String s = text(root, name, ctx, typeName);
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw new EventDecodingException(ctx + ": field '" + name + "' is not a UUID: '" + s + "'", typeName, name, e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        // Jackson's hint about enabling coercion is advice for us, not for whoever reads the dead letter.
        return line.replaceAll(" \\(but [^)]*coercion[^)]*\\)", "");
    }
}
