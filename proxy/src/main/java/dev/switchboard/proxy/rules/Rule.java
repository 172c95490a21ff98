package dev.switchboard.proxy.rules;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A parsed router rule: matcher calls combined with {@code &&}, {@code ||} and {@code !}.
 * {@link #compile()} turns it into a {@link RequestMatcher}.
 */
public sealed interface Rule permits Rule.And, Rule.Or, Rule.Not, Rule.Call {

    RequestMatcher compile();

    record And(Rule left, Rule right) implements Rule {
        @Override
        public RequestMatcher compile() {
            RequestMatcher l = left.compile();
            RequestMatcher r = right.compile();
            return req -> l.matches(req) && r.matches(req);
        }

        @Override
        public String toString() {
            return "(" + left + " && " + right + ")";
        }
    }

    record Or(Rule left, Rule right) implements Rule {
        @Override
        public RequestMatcher compile() {
            RequestMatcher l = left.compile();
            RequestMatcher r = right.compile();
            return req -> l.matches(req) || r.matches(req);
        }

        @Override
        public String toString() {
            return "(" + left + " || " + right + ")";
        }
    }

    record Not(Rule rule) implements Rule {
        @Override
        public RequestMatcher compile() {
            RequestMatcher m = rule.compile();
            return req -> !m.matches(req);
        }

        @Override
        public String toString() {
            return "!" + rule;
        }
    }

    /** A matcher call, its name already resolved to Traefik's spelling and its arguments validated. */
    record Call(Matchers.Kind kind, List<String> args, RequestMatcher matcher) implements Rule {
        @Override
        public RequestMatcher compile() {
            return matcher;
        }

        @Override
        public String toString() {
            return kind.traefikName() + args.stream().map(a -> "`" + a + "`").collect(Collectors.joining(", ", "(", ")"));
        }
    }
}
