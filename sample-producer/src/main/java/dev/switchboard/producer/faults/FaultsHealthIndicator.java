package dev.switchboard.producer.faults;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code faults} health component, part of readiness: OUT_OF_SERVICE (503) while the {@code unhealthy}
 * fault is set, so a lab can watch a proxy's health check take a replica out of rotation and put it back,
 * while the replica itself keeps answering requests sent to it directly.
 */
@Component
public class FaultsHealthIndicator implements HealthIndicator {
    private final FaultInjector faults;

    public FaultsHealthIndicator(FaultInjector faults) {
        this.faults = faults;
    }

    @Override
    public Health health() {
        FaultSettings settings = faults.settings();
        Health.Builder health = settings.unhealthy()
                ? Health.outOfService().withDetail("reason", "the unhealthy fault is set (FAULT_UNHEALTHY or /admin/faults)")
                : Health.up();
        return health.withDetail("active", FaultInjector.describe(settings)).build();
    }
}
