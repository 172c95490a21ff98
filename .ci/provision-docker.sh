#!/usr/bin/env bash
# Provisions a Docker engine and the stand-in base images on a CI machine that has Debian's package
# mirrors but no container registry (see docs/reference/sample-db.md, "Images in CI").
#
#   sudo bash .ci/provision-docker.sh          # idempotent: skips what is already there
#   SWITCHBOARD_REBUILD_IMAGES=1 bash ...      # rebuild the base images even if they exist
#
# What it leaves behind:
#   - dockerd running in the background (log: /var/log/switchboard-dockerd.log), docker-compose v1 installed;
#   - switchboard/jre:17    Debian bookworm + openjdk-17-jre-headless + curl: stands in for eclipse-temurin:17-jre;
#   - switchboard/mysql:8.4 Debian bookworm + MariaDB 10.11 with an entrypoint that behaves like the official
#                           mysql image's (MYSQL_* variables, /docker-entrypoint-initdb.d): stands in for mysql:8.4;
# The caller must then export TESTCONTAINERS_RYUK_DISABLED=true (the Ryuk image cannot be pulled) and
# TESTCONTAINERS_HOST_OVERRIDE=localhost (this machine looks like a container to Testcontainers) for the
# test JVMs; the script prints these lines at the end, and .ci/run exports them.
set -euo pipefail

JRE_IMAGE="${SWITCHBOARD_JAVA_IMAGE:-switchboard/jre:17}"
MYSQL_IMAGE="${SWITCHBOARD_MYSQL_IMAGE:-switchboard/mysql:8.4}"
MARIADB_ROOTFS_IMAGE="switchboard/mariadb-rootfs:bookworm"
SUITE=bookworm
DOCKERD_LOG=/var/log/switchboard-dockerd.log
HERE="$(cd "$(dirname "$0")" && pwd)"
START=$SECONDS

log() { printf '[provision-docker %3ss] %s\n' "$((SECONDS - START))" "$*"; }
die() { log "ERROR: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (it installs packages and starts dockerd)"
[ -r /etc/debian_version ] || die "this script provisions a Debian machine (apt, debootstrap)"

# 1. Packages ------------------------------------------------------------------------------------------------
missing=()
for pkg in docker.io docker-compose debootstrap; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    log "docker.io, docker-compose and debootstrap already installed"
fi
# The Debian engine's own client: a newer client elsewhere on PATH would default to BuildKit, which the
# 20.10 engine's builder does not need and which may try a registry for local base images.
DOCKER=/usr/bin/docker
export DOCKER_BUILDKIT=0

# 2. Engine ----------------------------------------------------------------------------------------------------
if "$DOCKER" info >/dev/null 2>&1; then
    log "dockerd already answers on /var/run/docker.sock"
else
    log "starting dockerd in the background (log: $DOCKERD_LOG)"
    setsid nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
    for _ in $(seq 1 120); do
        "$DOCKER" info >/dev/null 2>&1 && break
        sleep 0.5
    done
    "$DOCKER" info >/dev/null 2>&1 || { tail -n 30 "$DOCKERD_LOG" >&2; die "dockerd did not answer within 60 s"; }
    log "dockerd is up: $("$DOCKER" version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"
fi

# 3. Base images -------------------------------------------------------------------------------------------------
MIRROR="$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | awk '{print $1; exit}')"
if [ -z "$MIRROR" ]; then
    MIRROR="$(awk '$1 == "deb" && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)"
fi
[ -n "$MIRROR" ] || die "no Debian mirror in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list: debootstrap takes the mirror apt already uses; add one there (or set it in apt's sources) and run again"

have_image() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }
want_build() { [ "${SWITCHBOARD_REBUILD_IMAGES:-}" = 1 ] || ! have_image "$1"; }

# debootstrap_image IMAGE PACKAGES [docker import --change ...]: a Debian minbase root file system with
# PACKAGES, imported as IMAGE.
debootstrap_image() {
    local image="$1" packages="$2"; shift 2
    local rootfs
    rootfs="$(mktemp -d /var/tmp/switchboard-rootfs.XXXXXX)"
    log "debootstrap $SUITE (minbase + $packages) from $MIRROR into $rootfs"
    if ! debootstrap --variant=minbase --include="$packages" "$SUITE" "$rootfs" "$MIRROR" >"$rootfs.log" 2>&1; then
        tail -n 30 "$rootfs.log" >&2
        rm -rf "$rootfs" "$rootfs.log"
        die "debootstrap failed (full log above)"
    fi
    # Leave no daemon that a package's postinst may have started inside the new root running.
    local pid
    for pid in $(ls /proc | grep -E '^[0-9]+$'); do
        [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$rootfs" ] && kill "$pid" 2>/dev/null || true
    done
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/lib/mysql/* \
           "$rootfs"/run/mysqld/* "$rootfs"/tmp/*
    log "importing $image ($(du -sh "$rootfs" | cut -f1))"
    tar --numeric-owner -C "$rootfs" -c . | "$DOCKER" import "$@" - "$image" >/dev/null
    rm -rf "$rootfs" "$rootfs.log"
}

ARCH="$(dpkg --print-architecture)"
if want_build "$JRE_IMAGE"; then
    debootstrap_image "$JRE_IMAGE" openjdk-17-jre-headless,ca-certificates,curl \
        --change "ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-$ARCH" \
        --change "ENV LANG=C.UTF-8" \
        --change 'CMD ["java", "-version"]'
    log "built $JRE_IMAGE: $("$DOCKER" run --rm "$JRE_IMAGE" java -version 2>&1 | head -n 1)"
else
    log "$JRE_IMAGE already exists"
fi

if want_build "$MARIADB_ROOTFS_IMAGE"; then
    debootstrap_image "$MARIADB_ROOTFS_IMAGE" mariadb-server,mariadb-client,ca-certificates,gzip,xz-utils \
        --change "ENV LANG=C.UTF-8"
else
    log "$MARIADB_ROOTFS_IMAGE already exists"
fi
# Always built: the layer cache makes an unchanged build a no-op, and a changed entrypoint takes effect.
before="$("$DOCKER" image inspect -f '{{.Id}}' "$MYSQL_IMAGE" 2>/dev/null || true)"
"$DOCKER" build -q --build-arg "BASE_IMAGE=$MARIADB_ROOTFS_IMAGE" -t "$MYSQL_IMAGE" "$HERE/images/mysql" >/dev/null
if [ "$before" = "$("$DOCKER" image inspect -f '{{.Id}}' "$MYSQL_IMAGE")" ]; then
    log "$MYSQL_IMAGE is up to date with .ci/images/mysql"
else
    log "built $MYSQL_IMAGE from .ci/images/mysql: $("$DOCKER" run --rm --entrypoint mariadbd "$MYSQL_IMAGE" --version)"
fi

# 4. Testcontainers ----------------------------------------------------------------------------------------------
# Testcontainers 2.0.5 reads both settings from the environment only (ResourceReaper and
# DockerClientProviderStrategy call System.getenv; ~/.testcontainers.properties is not consulted for them),
# so the caller exports them for the JVMs Maven forks.

log "done in $((SECONDS - START)) s; images:"
for image in "$JRE_IMAGE" "$MARIADB_ROOTFS_IMAGE" "$MYSQL_IMAGE"; do
    "$DOCKER" image inspect -f "  $image  {{.Id}}  {{.Size}} bytes" "$image"
done
cat <<'ENV'
Export for the test JVMs (.ci/run does):
  export TESTCONTAINERS_RYUK_DISABLED=true
  export TESTCONTAINERS_HOST_OVERRIDE=localhost
ENV
