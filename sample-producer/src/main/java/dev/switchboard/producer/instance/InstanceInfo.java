package dev.switchboard.producer.instance;

import java.time.Instant;

/**
 * What {@code GET /instance} answers.
 *
 * @param name           the replica's name, also sent as {@code X-Instance} on every response
 * @param hostName       the host (container) name
 * @param containerId    short container id, null outside a container
 * @param containerName  container name from Docker's DNS, e.g. {@code lab_app1_3}; null if unknown
 * @param replica        replica number (INSTANCE_REPLICA, or the number the container name ends in); may be null
 * @param address        the address it is bound to, null for all addresses
 * @param port           the port it listens on
 * @param pid            the process id
 * @param startedAt      when it started
 * @param uptimeMs       milliseconds since then
 * @param requestsServed application requests served so far (health checks and admin calls not counted)
 * @param database       where the users come from: the JDBC URL without credentials or options
 *                       ({@code jdbc:mysql://db:3306/users_db}; {@code jdbc:h2:mem:users_db} for the embedded fallback)
 */
public record InstanceInfo(String name, String hostName, String containerId, String containerName, String replica,
                           String address, int port, long pid, Instant startedAt, long uptimeMs, long requestsServed,
                           String database, String version) {
}
