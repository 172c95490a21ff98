package dev.switchboard.lab.control;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The lab that {@code lab up} started, as the other {@code lab} commands drive it, whichever backend
 * runs it: the simulation (through its control endpoint) or {@code docker compose}. Each command
 * prints what it did to {@code out} and returns the command's exit code.
 */
public interface RunningLab {

    /** What {@code docker kill|stop|pause|unpause|start} do to a container. */
    enum Action {
        KILL, STOP, PAUSE, UNPAUSE, START;

        /** The command's name: {@code kill}, {@code stop}... */
        public String command() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The running lab of this repository, if one runs; a lab whose process died is not running (see {@link Leftovers}). */
    static Optional<RunningLab> find(Path root) {
        return LabState.load(root).map(RunningLab::of);
    }

    /** The lab {@code state} describes. */
    static RunningLab of(LabState state) {
        return LabState.DOCKER.equals(state.mode()) ? new ComposeCli(state) : new SimulationClient(state);
    }

    LabState state();

    /** {@code docker compose ps}. */
    int ps(PrintStream out) throws Exception;

    /** One of the container actions on every replica of {@code service}, or on replica {@code replica}. */
    int act(Action action, String service, Integer replica, PrintStream out) throws Exception;

    /** {@code docker compose up --scale service=replicas}. */
    int scale(String service, int replicas, PrintStream out) throws Exception;

    /** The last {@code tail} lines of each container's output, of one service or all. */
    int logs(String service, int tail, PrintStream out) throws Exception;

    /**
     * {@code docker compose up} on the running lab: applies {@code composeFile} as it is now, recreating
     * the services whose definition changed and keeping the others running; prints what changed.
     */
    int apply(Path composeFile, String profile, PrintStream out) throws Exception;

    /** {@code docker compose down}: stops everything and removes what the lab created, saying what. */
    int down(PrintStream out) throws Exception;
}
