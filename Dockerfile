# syntax=docker/dockerfile:1
# Khabar: one image for both roles, the server (default) and the batch worker.
#   docker build -t khabar .
#   docker run -p 50051:50051 -v khabar-data:/var/lib/khabar khabar --ingest /app/seeds

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
# protox compiles the protos in pure Rust: no protoc in the image
COPY Cargo.toml Cargo.lock ./
COPY proto proto
COPY services services
COPY tests tests
COPY seeds seeds
RUN cargo build --release --locked -p khabar-server -p khabar-worker \
 && cp target/release/khabar-server target/release/khabar-worker /usr/local/bin/

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/khabar --no-create-home khabar \
 && mkdir -p /var/lib/khabar /app \
 && chown khabar:khabar /var/lib/khabar
COPY --from=build /usr/local/bin/khabar-server /usr/local/bin/khabar-worker /usr/local/bin/
COPY seeds /app/seeds
ENV KHABAR_DB=/var/lib/khabar \
    KHABAR_ADDR=0.0.0.0:50051
USER khabar
VOLUME ["/var/lib/khabar"]
EXPOSE 50051
HEALTHCHECK --interval=10s --timeout=4s --start-period=30s --retries=3 \
  CMD ["khabar-server", "healthcheck", "--addr", "127.0.0.1:50051"]
ENTRYPOINT ["khabar-server"]
