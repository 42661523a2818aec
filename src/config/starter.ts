/** A commented starter file that validates as it is: one local task, everything else shown commented out. */
export const STARTER = `# cloudsync configuration: scheduled rclone transfers, kept as code.
#   cloudsync validate   check this file
#   cloudsync plan       show what would change
#   cloudsync apply      make it so
#   cloudsync watch      run the service: re-applies on save, runs tasks on schedule
#   cloudsync credentials verify NAME      does a credential work?
#   cloudsync restore TASK --path DIR --write   add a task that brings TASK's files back
# Editors with yaml-language-server complete and check this file once it points
# at the schema (cloudsync init writes it beside this file; cloudsync schema prints it):
# yaml-language-server: $schema=./cloudsync.schema.json
version: 1

settings:
  # timezone: Europe/Berlin      # schedules are read in this zone (default: the system's)
  # max_parallel_runs: 4         # runs at once; further due runs wait in a queue
  # log_retention: 20            # finished runs (with logs) kept per task
  # allowed_roots: [/mnt]        # every task path must lie inside one of these

credentials:
  # The local disk, to try things out without a cloud account.
  disk:
    type: local
  # An S3-compatible store. Secrets come from the environment or a file, never the file itself:
  # offsite:
  #   type: s3
  #   provider: Minio
  #   endpoint: https://s3.example.com
  #   access_key_id: \${S3_ACCESS_KEY_ID}
  #   secret_access_key: \${file:/run/secrets/s3_secret}

tasks:
  documents:
    description: Documents to a second disk
    direction: push              # push: path -> remote; pull: remote -> path
    transfer_mode: copy          # copy | move | sync (sync DELETES at the destination what the source lacks)
    path: /srv/documents         # the local directory (absolute)
    credential: disk
    folder: /backup/documents    # where on the remote (for the local backend: a directory)
    schedule: daily              # hourly | daily | weekly | monthly | cron "30 2 * * *" | absent = only when asked
    # enabled: true
    # bucket: my-bucket          # bucket-based backends (s3, b2, azureblob, gcs, swift) need one
    # transfers: medium          # files at once: a number, or low (4) | medium (8) | high (16)
    # bwlimit: "08:00,512k 18:00,10M 23:00,off"
    # exclude: ["*.tmp", "/cache/"]
    # include: []
    # snapshot: false            # push only: transfer from a read-only btrfs/ZFS snapshot
    # create_empty_src_dirs: false
    # follow_symlinks: false
    # fast_list: false
    # pre_script: |
    #   echo "starting $CLOUDSYNC_TASK"
    # post_script: ""
    # encryption:                # rclone crypt on the remote; LOSING THE PASSWORD LOSES THE DATA
    #   password: \${DOCUMENTS_PASSWORD}
    #   salt: \${DOCUMENTS_SALT}
    #   filename_encryption: false
    # rclone_args: ["--checksum"]
`;
