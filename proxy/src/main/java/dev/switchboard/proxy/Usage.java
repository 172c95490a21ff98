package dev.switchboard.proxy;

/** The text of {@code --help}. */
final class Usage {
    static final String TEXT = """
            Switchboard: a readable, Traefik-compatible load-balancing reverse proxy.

            Usage: java -jar switchboard-proxy.jar [--flag=value ...]

            The flags are Traefik v3's static configuration, for example:
              --entrypoints.web.address=:80          an entry point named web on port 80
              --providers.file.filename=dynamic.yml  routers, services, middlewares from a file
              --providers.file.directory=conf.d      ... or from every file of a directory
              --providers.file.watch=true            apply changes without restart (default)
              --api.insecure=true                    API and dashboard on the traefik entry point (:8080)
              --api=true                             API and dashboard only through a router to api@internal
              --metrics.prometheus=true              Prometheus metrics at /metrics on the traefik entry point
              --ping=true                            /ping on the traefik entry point
              --log.level=DEBUG                      TRACE, DEBUG, INFO (default), WARN, ERROR
              --accesslog=true                       access log to stdout (--accesslog.filepath=FILE)
              --accesslog.format=common|json
              --configFile=traefik.yml               the same keys in a YAML or TOML file

            Reference: docs/reference/flags.md, docs/reference/api.md, docs/reference/metrics.md""";

    private Usage() {
    }
}
