package dev.seedloop.events;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

/** The parameters a study may vary. Invariant: at least one parameter, names unique, order kept. */
public record SearchSpace(List<Parameter> parameters) {

    public SearchSpace {
        parameters = Checks.list(parameters, "parameters");
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("parameters must not be empty");
        }
        var seen = new HashSet<String>();
        for (Parameter p : parameters) {
            if (!seen.add(p.name())) {
                throw new IllegalArgumentException("duplicate parameter name '" + p.name() + "'");
            }
        }
    }

    /** Whether every parameter has an admissible value in {@code point}; keys of no parameter are ignored. */
    public boolean admits(Map<String, ?> point) {
        for (Parameter p : parameters) {
            if (!p.admits(point.get(p.name()))) {
                return false;
            }
        }
        return true;
    }
}
