# cloudsync in a container: the packed CLI (one bundle, no dependencies) on
# Node's current LTS, with a current rclone from rclone's own image (Debian's
# is 1.60, from 2022). `watch` is the default command; `export kubernetes`
# CronJobs run `cloudsync run TASK --ephemeral` instead.
#
#   docker build -t cloudsync:0.1.0 .
#   docker run -d --name cloudsync \
#     -v /srv/cloudsync:/etc/cloudsync:ro \
#     -v cloudsync-state:/var/lib/cloudsync \
#     -v /mnt/tank:/mnt/tank:ro \
#     --env-file secrets.env -p 127.0.0.1:8080:8080 cloudsync:0.1.0
#
# Mount the directory that holds cloudsync.yaml, not the file alone: editors
# save by writing a new file and renaming it, which a single-file bind mount
# never sees. The dashboard listens on 0.0.0.0 inside the container, so it
# needs settings.web.token (docs/service.md).

ARG RCLONE_VERSION=1.69.1
FROM rclone/rclone:${RCLONE_VERSION} AS rclone

FROM node:26-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
# The same steps as CI's install test: build, pack, install the tarball globally.
RUN npm run build && npm pack --ignore-scripts --pack-destination /tmp

FROM node:26-bookworm-slim
# tini reaps what a task's scripts leave behind (node as PID 1 does not); tzdata for settings.timezone;
# fuse3 is not needed: rclone here copies, it does not mount.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata tini \
 && rm -rf /var/lib/apt/lists/*
# rclone is one static binary.
COPY --from=rclone /usr/local/bin/rclone /usr/local/bin/rclone
COPY --from=build /tmp/cloudsync-*.tgz /tmp/
RUN npm install --global --no-audit --no-fund /tmp/cloudsync-*.tgz \
 && rm /tmp/cloudsync-*.tgz \
 && mkdir -p /etc/cloudsync /var/lib/cloudsync \
 && chown 1000:1000 /var/lib/cloudsync \
 && chmod 0700 /var/lib/cloudsync
# The image's "node" user; export kubernetes runs its pods as this uid too.
USER 1000:1000
VOLUME /var/lib/cloudsync
# The dashboard (settings.web.listen: 0.0.0.0:8080) and /metrics (settings.metrics.listen: 0.0.0.0:9184).
EXPOSE 8080 9184
# Healthy while a cloudsync watch serves the state directory.
HEALTHCHECK --interval=1m --timeout=10s --start-period=30s \
  CMD ["cloudsync", "--config", "/etc/cloudsync/cloudsync.yaml", "--state-dir", "/var/lib/cloudsync", "status", "--service", "--quiet"]
ENTRYPOINT ["/usr/bin/tini", "--", "cloudsync"]
CMD ["--config", "/etc/cloudsync/cloudsync.yaml", "--state-dir", "/var/lib/cloudsync", "watch"]
