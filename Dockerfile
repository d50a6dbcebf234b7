# syntax=docker/dockerfile:1
# Multi-stage build: compile in the Rust image, run in a slim Debian with a non-root user.
# Migrations are embedded in the binary; `diplograph serve` applies them on start.

FROM rust:1.95-bookworm AS builder
WORKDIR /src
COPY . .
# The cache mounts keep the registry and target/ between builds (BuildKit).
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin diplograph \
    && cp target/release/diplograph /usr/local/bin/diplograph

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /var/lib/diplograph --create-home --uid 10001 diplograph
COPY --from=builder /usr/local/bin/diplograph /usr/local/bin/diplograph
USER diplograph
WORKDIR /var/lib/diplograph
# Inside a container the service must listen on all interfaces; DATABASE_URL defaults to a
# SQLite file in the working directory when no PostgreSQL URL is given. On 0.0.0.0 `serve` needs
# DIPLOGRAPH_API_KEY (or a keys file) and read keys or DIPLOGRAPH_ALLOW_PUBLIC_READ=true.
ENV DIPLOGRAPH_LISTEN=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["diplograph"]
CMD ["serve"]
