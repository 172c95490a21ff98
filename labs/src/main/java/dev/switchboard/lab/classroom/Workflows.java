package dev.switchboard.lab.classroom;

import java.util.List;
import java.util.Locale;

/**
 * The CI files of a student repository, grading the labs where courses already run student work:
 * GitHub Classroom (its autograding workflow, on GitHub's hosted runner and its Docker engine) and
 * GitLab CI (the simulated topology in a JDK image, the JUnit report published to the merge request
 * and pipeline).
 */
public final class Workflows {
    /** Where GitHub Classroom looks for the autograding workflow. */
    public static final String GITHUB = ".github/workflows/classroom.yml";
    public static final String GITLAB = ".gitlab-ci.yml";
    /** Builds the kit's modules once (the lab tool would also build what it misses on first use). */
    static final String BUILD = "./mvnw -q -B -DskipTests package";

    private Workflows() {
    }

    /** The grading command of one lab on GitHub: the containers backend, Classroom's result format. */
    static String githubGrade(String lab) {
        return "./lab grade " + lab + " --backend containers --format classroom,junit,markdown --out .lab/grades/" + lab;
    }

    /** The grading command of one lab on GitLab: the simulated topology (no Docker-in-Docker needed). */
    static String gitlabGrade(String lab) {
        return "./lab grade " + lab + " --format junit,markdown --out .lab/grades/" + lab;
    }

    /**
     * GitHub Classroom's autograding workflow, laid out as the one Classroom writes itself: a step per
     * lab whose output {@code result} is the base64 of {@code classroom.json}, and the autograding
     * reporter, which reads {@code <RUNNER>_RESULTS} for each runner and sends Classroom the points.
     */
    public static String githubClassroom(List<String> labs) {
        StringBuilder b = new StringBuilder();
        b.append("""
                # GitHub Classroom autograding (written by ./lab classroom export).
                # On every push, each lab below is graded with ./lab grade on the hosted runner's Docker engine;
                # the autograding reporter sends the points to GitHub Classroom. Locally: see README.md.
                name: Autograding Tests
                'on':
                  - push
                  - workflow_dispatch
                  - repository_dispatch
                permissions:
                  checks: write
                  actions: read
                  contents: read
                jobs:
                  run-autograding-tests:
                    runs-on: ubuntu-latest
                    if: github.actor != 'github-classroom[bot]'
                    timeout-minutes: 60
                    steps:
                      - name: Checkout code
                        uses: actions/checkout@v4
                      - name: Set up Java 17
                        uses: actions/setup-java@v4
                        with:
                          distribution: temurin
                          java-version: '17'
                          cache: maven
                      - name: Build the kit
                        run: %s
                """.formatted(BUILD));
        for (String lab : labs) {
            b.append("""
                          - name: Grade %1$s
                            id: %1$s
                            run: |
                              %2$s || echo "lab grade exited with code $? (not graded: see the report)"
                              echo "result=$(base64 -w 0 < .lab/grades/%1$s/classroom.json)" >> "$GITHUB_OUTPUT"
                    """.formatted(lab, githubGrade(lab)));
        }
        b.append("""
                      - name: Reports
                        if: always()
                        uses: actions/upload-artifact@v4
                        with:
                          name: grading-reports
                          path: .lab/grades/
                      - name: Autograding Reporter
                        uses: classroom-resources/autograding-grading-reporter@v1
                        env:
                """);
        for (String lab : labs) {
            b.append("          ").append(lab.toUpperCase(Locale.ROOT)).append("_RESULTS: \"${{ steps.").append(lab)
                    .append(".outputs.result }}\"\n");
        }
        b.append("        with:\n          runners: ").append(String.join(",", labs)).append('\n');
        return b.toString();
    }

    /** GitLab CI: one job that grades each lab and publishes the JUnit reports (tests tab, merge request widget). */
    public static String gitlab(List<String> labs) {
        StringBuilder b = new StringBuilder();
        b.append("""
                # GitLab CI (written by ./lab classroom export): grades the labs below on every push with the simulated
                # topology (no Docker needed in the job) and publishes one JUnit report per lab.
                grade:
                  image: eclipse-temurin:17-jdk
                  variables:
                    MAVEN_OPTS: "-Dmaven.repo.local=$CI_PROJECT_DIR/.m2/repository"
                  cache:
                    key: maven
                    paths:
                      - .m2/repository
                  script:
                    - %s
                """.formatted(BUILD));
        for (String lab : labs) {
            b.append("    - ").append(gitlabGrade(lab)).append('\n');
        }
        b.append("""
                  artifacts:
                    when: always
                    paths:
                      - .lab/grades/
                    reports:
                      junit: .lab/grades/*/report.xml
                """);
        return b.toString();
    }
}
