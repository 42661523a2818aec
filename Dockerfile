# cloudsync in a container: the packed CLI (one bundle, no dependencies) on
# Node's current LTS, with Debian's rclone. `watch` is the default command;
# `export kubernetes` CronJobs run `cloudsync run TASK --ephemeral` instead.
#
#   docker build -t cloudsync:0.1.0 .
#   docker run -d --name cloudsync \
#     -v /srv/cloudsync/cloudsync.yaml:/etc/cloudsync/cloudsync.yaml:ro \
#     -v cloudsync-state:/var/lib/cloudsync \
#     -v /mnt/tank:/mnt/tank:ro --env-file secrets.env cloudsync:0.1.0

FROM node:26-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The same steps as CI's install test: build, pack, install the tarball globally.
RUN npm run build && npm pack --ignore-scripts --pack-destination /tmp

FROM node:26-bookworm-slim
# tini reaps what a task's scripts leave behind (node as PID 1 does not); tzdata for settings.timezone.
RUN apt-get update \
 && apt-get install -y --no-install-recommends rclone ca-certificates tzdata tini \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /tmp/cloudsync-*.tgz /tmp/
RUN npm install --global --no-audit --no-fund /tmp/cloudsync-*.tgz \
 && rm /tmp/cloudsync-*.tgz \
 && mkdir -p /etc/cloudsync /var/lib/cloudsync \
 && chown 1000:1000 /var/lib/cloudsync \
 && chmod 0700 /var/lib/cloudsync
# The image's "node" user; export kubernetes runs its pods as this uid too.
USER 1000:1000
VOLUME /var/lib/cloudsync
ENTRYPOINT ["/usr/bin/tini", "--", "cloudsync"]
CMD ["--config", "/etc/cloudsync/cloudsync.yaml", "--state-dir", "/var/lib/cloudsync", "watch"]
