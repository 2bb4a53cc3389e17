# syntax=docker/dockerfile:1
# lectern: a static musl binary in an image built FROM scratch.
#
#   docker build -t lectern .
#   docker run --rm -e DISCORD_TOKEN lectern            # serve
#   docker run --rm lectern ask topics                  # the local mode
#
# Stages: `build` compiles the binary (dependencies cached in their own layer), `certs`
# provides CA certificates, `runtime` is the image: the binary, the certificates, the default
# config, the bundled seeds and /data (the state database's folder, a volume), nothing else
# (no shell, no package manager).

ARG RUST_VERSION=1.95

FROM rust:${RUST_VERSION}-slim-bookworm AS build
ARG TARGET=x86_64-unknown-linux-musl
# DL3008 (pin apt versions) is ignored: musl-tools comes from the base image's own Debian
# release, and pinning its exact version would break the build at every point release.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends musl-tools \
    && rm -rf /var/lib/apt/lists/* \
    && rustup target add "${TARGET}"
WORKDIR /src
# Dependencies first, in their own layer: rebuilt only when Cargo.toml or Cargo.lock change.
# The workspace's manifests (the binary, the core, the plugin) with empty sources.
COPY Cargo.toml Cargo.lock ./
COPY benches ./benches
COPY crates/lectern-core/Cargo.toml ./crates/lectern-core/
COPY crates/lectern-discord/Cargo.toml ./crates/lectern-discord/
COPY crates/lectern-state/Cargo.toml ./crates/lectern-state/
RUN mkdir -p src crates/lectern-core/src crates/lectern-discord/src crates/lectern-state/src \
    && echo 'fn main() {}' > src/main.rs \
    && touch src/lib.rs crates/lectern-core/src/lib.rs crates/lectern-discord/src/lib.rs \
       crates/lectern-state/src/lib.rs \
    && cargo build --profile image --locked --target "${TARGET}" --bin lectern \
    && rm -rf src crates/lectern-core/src crates/lectern-discord/src crates/lectern-state/src
COPY src ./src
COPY crates ./crates
# /out/data becomes the image's /data, the state database's folder, owned by the image's user
# (the final stage has no shell to make it).
RUN touch src/main.rs src/lib.rs crates/lectern-core/src/lib.rs crates/lectern-discord/src/lib.rs \
       crates/lectern-state/src/lib.rs \
    && cargo build --profile image --locked --target "${TARGET}" --bin lectern \
    && mkdir -p /out/data \
    && cp "target/${TARGET}/image/lectern" /out/lectern

FROM debian:bookworm-slim AS certs
# DL3008 ignored for the same reason: ca-certificates follows the base image's release.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*

FROM scratch AS runtime
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="lectern" \
      org.opencontainers.image.description="A self-hosted Discord bot that serves excerpts of talks" \
      org.opencontainers.image.source="https://example.invalid/lectern" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="MIT"
COPY --from=certs /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/lectern /lectern
COPY --from=build --chown=10001:10001 /out/data /data
COPY config/default.toml /config/default.toml
COPY seeds/ /seeds/
ENV LECTERN_CONFIG_DIR=/config \
    LECTERN__CONTENT__SEEDS_DIR=/seeds \
    LECTERN__HTTP__BIND=0.0.0.0:8080 \
    LECTERN__STATE__PATH=/data/lectern.sqlite3 \
    LECTERN__CACHE__DIR=/data/cache \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["/lectern", "healthcheck"]
ENTRYPOINT ["/lectern"]
CMD ["serve"]
