package dev.switchboard.proxy.middleware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.proxy.config.dynamic.Middleware;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The newcomer's contract for a middleware (docs/architecture.md, "Where a new piece goes"): a
 * record in {@code Middleware} and one registration in {@link MiddlewareFactory#FACTORY}, which
 * names whether the kind may block. A kind added without that line fails here.
 */
class MiddlewareFactoryTest {

    @Test
    void everyMiddlewareKindIsRegisteredWithItsBlockingDeclaration() {
        List<String> missing = new ArrayList<>();
        for (Class<?> kind : Middleware.class.getPermittedSubclasses()) {
            if (kind == Middleware.Chain.class) {
                continue; // expanded by the router builder, never built
            }
            @SuppressWarnings("unchecked")
            Class<? extends Middleware> type = (Class<? extends Middleware>) kind;
            if (!MiddlewareFactory.FACTORY.supports(type)) {
                missing.add(kind.getSimpleName());
            }
        }
        assertEquals(List.of(), missing, "middleware kinds without a registration (and blocking declaration) in MiddlewareFactory.FACTORY");
    }

    @Test
    void everyKindHasItsTraefikNameAndEveryNameItsKind() {
        assertEquals(Set.of(Middleware.class.getPermittedSubclasses()), Set.copyOf(Middleware.KINDS.values()));
    }

    @Test
    void onlyKindsThatNeverWaitOnTheirThreadAreNonBlocking() {
        for (Class<? extends Middleware> kind : List.of(Middleware.BasicAuth.class, Middleware.ForwardAuth.class,
                Middleware.Buffering.class, Middleware.Retry.class, Middleware.Errors.class, Middleware.Compress.class,
                Middleware.Cache.class)) {
            assertEquals(Blocking.MAY_BLOCK, MiddlewareFactory.FACTORY.blocking(kind), kind.getSimpleName());
        }
        assertEquals(Blocking.NON_BLOCKING, MiddlewareFactory.FACTORY.blocking(Middleware.StripPrefix.class));
        assertTrue(MiddlewareFactory.FACTORY.mayBlock(new Middleware.Chain(List.of())), "a kind never registered counts as blocking");
    }
}
