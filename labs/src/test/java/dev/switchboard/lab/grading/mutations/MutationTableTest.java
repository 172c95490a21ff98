package dev.switchboard.lab.grading.mutations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The mutation tables' own rules: edits that must apply exactly once, and hints that must not contradict themselves. */
class MutationTableTest {

    @Test
    void aHintThatTellsTheStudentToWriteWhatTheyWroteIsCaught() {
        // Issue 21, class 3: what lab 4's grader said when app1 called app2 without the proxy.
        assertTrue(MutationTable.selfContradicting(
                "the router app2 uses app2-strip@docker, which strips [\"/app2\"]: it should strip /app2"));
        assertFalse(MutationTable.selfContradicting("the router app2 uses app2-strip@docker, which strips [\"/ap2\"], not /app2: "
                + "traefik.http.middlewares.app2-strip.stripprefix.prefixes=/app2"));
        assertFalse(MutationTable.selfContradicting("the rule should be the one of lab 1, it should be right"));
    }

    @Test
    void anEditAppliesExactlyOnceUnlessItSaysAll() {
        Mutation.Edit once = new Mutation.Edit(Mutation.COMPOSE, "a", "b", false, false);
        assertEquals("b-c", once.apply("a-c"));
        assertThrows(IllegalStateException.class, () -> once.apply("a-a"), "twice is ambiguous");
        assertThrows(IllegalStateException.class, () -> once.apply("c"), "an edit that no longer applies is an error");
        assertEquals("b-b", new Mutation.Edit(Mutation.COMPOSE, "a", "b", true, false).apply("a-a"));
    }
}
