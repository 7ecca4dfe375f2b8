# syntax=docker/dockerfile:1
# Khabar: one image for both roles. The server is the default; the worker is on the PATH.
#
#   docker build -t khabar .
#   docker run -d --name khabar -p 127.0.0.1:50051:50051 -v khabar-data:/var/lib/khabar khabar --ingest /app/seeds
#   docker run --rm --network container:khabar -v "$PWD/articles:/in:ro" --entrypoint khabar-worker khabar \
#       ingest /in --server http://127.0.0.1:50051
#
# Offline builds (no crates.io): mount a filled cargo registry and pass --build-arg CARGO_NET_OFFLINE=true.

ARG RUST_IMAGE=rust:1.95-slim-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${RUST_IMAGE} AS build
ARG CARGO_NET_OFFLINE=false
ENV CARGO_NET_OFFLINE=${CARGO_NET_OFFLINE} \
    CARGO_TERM_COLOR=never
WORKDIR /src
# protox compiles the protos in pure Rust: the builder needs no protoc
COPY Cargo.toml Cargo.lock ./
COPY proto proto
COPY services services
COPY tests tests
COPY seeds seeds
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p khabar-server -p khabar-worker \
 && install -m 0755 target/release/khabar-server target/release/khabar-worker /usr/local/bin/

FROM ${RUNTIME_IMAGE}
LABEL org.opencontainers.image.title="khabar" \
      org.opencontainers.image.description="Arabic and Persian news annotation over typed gRPC (server and batch worker)" \
      org.opencontainers.image.licenses="Apache-2.0"
# a fixed numeric user so that volume permissions are predictable on any host
RUN groupadd --system --gid 10001 khabar \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/khabar --no-create-home --shell /usr/sbin/nologin khabar \
 && mkdir -p /var/lib/khabar /app \
 && chown 10001:10001 /var/lib/khabar
COPY --from=build /usr/local/bin/khabar-server /usr/local/bin/khabar-worker /usr/local/bin/
COPY seeds /app/seeds
# the server listens on every interface inside the container only; publish the port to choose exposure
ENV KHABAR_DB=/var/lib/khabar/db \
    KHABAR_ADDR=0.0.0.0:50051 \
    RUST_LOG=info
USER 10001:10001
WORKDIR /var/lib/khabar
VOLUME ["/var/lib/khabar"]
EXPOSE 50051
# PID 1 gets SIGTERM: the server stops gracefully and flushes the store
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=4s --start-period=60s --retries=3 \
  CMD ["khabar-server", "healthcheck", "--addr", "127.0.0.1:50051"]
ENTRYPOINT ["khabar-server"]
CMD []
