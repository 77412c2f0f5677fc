package dev.seedloop.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The objects of one render, with the few ways the checks look them up and walk them. Documents are plain maps and
 * lists as SnakeYAML reads them; a missing field reads as null (or an empty map or list), never an exception, so
 * that a check reports what is missing instead of failing on it.
 */
record KustomizeManifests(List<Map<String, Object>> documents) {

    List<Map<String, Object>> ofKind(String kind) {
        return documents.stream().filter(document -> kind.equals(document.get("kind"))).toList();
    }

    Optional<Map<String, Object>> find(String kind, String name) {
        return ofKind(kind).stream().filter(document -> name.equals(name(document))).findFirst();
    }

    static String name(Map<String, Object> document) {
        return string(at(document, "metadata", "name"));
    }

    /** What lies at {@code path} (map keys, or list indexes as decimal strings), or null. */
    static Object at(Object node, String... path) {
        Object current = node;
        for (String step : path) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(step);
            } else if (current instanceof List<?> list && step.chars().allMatch(Character::isDigit)
                    && Integer.parseInt(step) < list.size()) {
                current = list.get(Integer.parseInt(step));
            } else {
                return null;
            }
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    static List<Object> list(Object node) {
        return node instanceof List<?> list ? new ArrayList<>(list) : List.of();
    }

    static List<Map<String, Object>> maps(Object node) {
        return list(node).stream().map(KustomizeManifests::map).toList();
    }

    static String string(Object node) {
        return node == null ? null : node.toString();
    }
}
