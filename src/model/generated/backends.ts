// Generated from schema/cloudsync.schema.json by scripts/generate-backends.mjs. Do not edit.
import type { BackendTable } from "../backend-types.js";

/** The rclone whose `rclone config providers` the table was generated from. */
export const BUNDLED_RCLONE_VERSION = "1.60.1-DEV";

export const BACKENDS: BackendTable = {
  "amazon cloud drive": {
    "aliases": [
      "amazon cloud drive",
      "acd"
    ],
    "bucketBased": false,
    "options": {
      "client_id": {
        "rcloneType": "string"
      },
      "client_secret": {
        "rcloneType": "string",
        "sensitive": true
      },
      "token": {
        "rcloneType": "string",
        "sensitive": true
      },
      "auth_url": {
        "rcloneType": "string"
      },
      "token_url": {
        "rcloneType": "string"
      },
      "checkpoint": {
        "rcloneType": "string"
      },
      "upload_wait_per_gb": {
        "rcloneType": "Duration"
      },
      "templink_threshold": {
        "rcloneType": "SizeSuffix"
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "azureblob": {
    "aliases": [
      "azureblob"
    ],
    "bucketBased": true,
    "options": {
      "account": {
        "rcloneType": "string"
      },
      "service_principal_file": {
        "rcloneType": "string"
      },
      "key": {
        "rcloneType": "string",
        "sensitive": true
      },
      "sas_url": {
        "rcloneType": "string",
        "sensitive": true
      },
      "use_msi": {
        "rcloneType": "bool"
      },
      "msi_object_id": {
        "rcloneType": "string"
      },
      "msi_client_id": {
        "rcloneType": "string"
      },
      "msi_mi_res_id": {
        "rcloneType": "string"
      },
      "use_emulator": {
        "rcloneType": "bool"
      },
      "endpoint": {
        "rcloneType": "string"
      },
      "upload_cutoff": {
        "rcloneType": "string"
      },
      "chunk_size": {
        "rcloneType": "SizeSuffix"
      },
      "upload_concurrency": {
        "rcloneType": "int"
      },
      "list_chunk": {
        "rcloneType": "int"
      },
      "access_tier": {
        "rcloneType": "string"
      },
      "archive_tier_delete": {
        "rcloneType": "bool"
      },
      "disable_checksum": {
        "rcloneType": "bool"
      },
      "memory_pool_flush_time": {
        "rcloneType": "Duration"
      },
      "memory_pool_use_mmap": {
        "rcloneType": "bool"
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      },
      "public_access": {
        "rcloneType": "string"
      },
      "no_head_object": {
        "rcloneType": "bool"
      }
    }
  },
  "b2": {
    "aliases": [
      "b2"
    ],
    "bucketBased": true,
    "options": {
      "account": {
        "rcloneType": "string",
        "required": true
      },
      "key": {
        "rcloneType": "string",
        "required": true,
        "sensitive": true
      },
      "endpoint": {
        "rcloneType": "string"
      },
      "test_mode": {
        "rcloneType": "string"
      },
      "versions": {
        "rcloneType": "bool"
      },
      "version_at": {
        "rcloneType": "Time"
      },
      "hard_delete": {
        "rcloneType": "bool"
      },
      "upload_cutoff": {
        "rcloneType": "SizeSuffix"
      },
      "copy_cutoff": {
        "rcloneType": "SizeSuffix"
      },
      "chunk_size": {
        "rcloneType": "SizeSuffix"
      },
      "disable_checksum": {
        "rcloneType": "bool"
      },
      "download_url": {
        "rcloneType": "string"
      },
      "download_auth_duration": {
        "rcloneType": "Duration"
      },
      "memory_pool_flush_time": {
        "rcloneType": "Duration"
      },
      "memory_pool_use_mmap": {
        "rcloneType": "bool"
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "box": {
    "aliases": [
      "box"
    ],
    "bucketBased": false,
    "options": {
      "client_id": {
        "rcloneType": "string"
      },
      "client_secret": {
        "rcloneType": "string",
        "sensitive": true
      },
      "token": {
        "rcloneType": "string",
        "sensitive": true
      },
      "auth_url": {
        "rcloneType": "string"
      },
      "token_url": {
        "rcloneType": "string"
      },
      "root_folder_id": {
        "rcloneType": "string"
      },
      "box_config_file": {
        "rcloneType": "string"
      },
      "access_token": {
        "rcloneType": "string",
        "sensitive": true
      },
      "box_sub_type": {
        "rcloneType": "string"
      },
      "upload_cutoff": {
        "rcloneType": "SizeSuffix"
      },
      "commit_retries": {
        "rcloneType": "int"
      },
      "list_chunk": {
        "rcloneType": "int"
      },
      "owned_by": {
        "rcloneType": "string"
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "drive": {
    "aliases": [
      "drive"
    ],
    "bucketBased": false,
    "options": {
      "client_id": {
        "rcloneType": "string"
      },
      "client_secret": {
        "rcloneType": "string",
        "sensitive": true
      },
      "token": {
        "rcloneType": "string",
        "sensitive": true
      },
      "auth_url": {
        "rcloneType": "string"
      },
      "token_url": {
        "rcloneType": "string"
      },
      "scope": {
        "rcloneType": "string"
      },
      "root_folder_id": {
        "rcloneType": "string"
      },
      "service_account_file": {
        "rcloneType": "string"
      },
      "service_account_credentials": {
        "rcloneType": "string",
        "sensitive": true
      },
      "team_drive": {
        "rcloneType": "string"
      },
      "auth_owner_only": {
        "rcloneType": "bool"
      },
      "use_trash": {
        "rcloneType": "bool"
      },
      "copy_shortcut_content": {
        "rcloneType": "bool"
      },
      "skip_gdocs": {
        "rcloneType": "bool"
      },
      "skip_checksum_gphotos": {
        "rcloneType": "bool"
      },
      "shared_with_me": {
        "rcloneType": "bool"
      },
      "trashed_only": {
        "rcloneType": "bool"
      },
      "starred_only": {
        "rcloneType": "bool"
      },
      "formats": {
        "rcloneType": "string"
      },
      "export_formats": {
        "rcloneType": "string"
      },
      "import_formats": {
        "rcloneType": "string"
      },
      "allow_import_name_change": {
        "rcloneType": "bool"
      },
      "use_created_date": {
        "rcloneType": "bool"
      },
      "use_shared_date": {
        "rcloneType": "bool"
      },
      "list_chunk": {
        "rcloneType": "int"
      },
      "impersonate": {
        "rcloneType": "string"
      },
      "alternate_export": {
        "rcloneType": "bool"
      },
      "upload_cutoff": {
        "rcloneType": "SizeSuffix"
      },
      "chunk_size": {
        "rcloneType": "SizeSuffix"
      },
      "acknowledge_abuse": {
        "rcloneType": "bool"
      },
      "keep_revision_forever": {
        "rcloneType": "bool"
      },
      "size_as_quota": {
        "rcloneType": "bool"
      },
      "v2_download_min_size": {
        "rcloneType": "SizeSuffix"
      },
      "pacer_min_sleep": {
        "rcloneType": "Duration"
      },
      "pacer_burst": {
        "rcloneType": "int"
      },
      "server_side_across_configs": {
        "rcloneType": "bool"
      },
      "disable_http2": {
        "rcloneType": "bool"
      },
      "stop_on_upload_limit": {
        "rcloneType": "bool"
      },
      "stop_on_download_limit": {
        "rcloneType": "bool"
      },
      "skip_shortcuts": {
        "rcloneType": "bool"
      },
      "skip_dangling_shortcuts": {
        "rcloneType": "bool"
      },
      "resource_key": {
        "rcloneType": "string",
        "sensitive": true
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "dropbox": {
    "aliases": [
      "dropbox"
    ],
    "bucketBased": false,
    "options": {
      "client_id": {
        "rcloneType": "string"
      },
      "client_secret": {
        "rcloneType": "string",
        "sensitive": true
      },
      "token": {
        "rcloneType": "string",
        "sensitive": true
      },
      "auth_url": {
        "rcloneType": "string"
      },
      "token_url": {
        "rcloneType": "string"
      },
      "chunk_size": {
        "rcloneType": "SizeSuffix"
      },
      "impersonate": {
        "rcloneType": "string"
      },
      "shared_files": {
        "rcloneType": "bool"
      },
      "shared_folders": {
        "rcloneType": "bool"
      },
      "batch_mode": {
        "rcloneType": "string"
      },
      "batch_size": {
        "rcloneType": "int"
      },
      "batch_timeout": {
        "rcloneType": "Duration"
      },
      "batch_commit_timeout": {
        "rcloneType": "Duration"
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "fichier": {
    "aliases": [
      "fichier"
    ],
    "bucketBased": false,
    "options": {
      "api_key": {
        "rcloneType": "string",
        "sensitive": true
      },
      "shared_folder": {
        "rcloneType": "string"
      },
      "file_password": {
        "rcloneType": "string",
        "obscure": true,
        "sensitive": true
      },
      "folder_password": {
        "rcloneType": "string",
        "obscure": true,
        "sensitive": true
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "filefabric": {
    "aliases": [
      "filefabric"
    ],
    "bucketBased": false,
    "options": {
      "url": {
        "rcloneType": "string",
        "required": true
      },
      "root_folder_id": {
        "rcloneType": "string"
      },
      "permanent_token": {
        "rcloneType": "string",
        "sensitive": true
      },
      "token": {
        "rcloneType": "string",
        "sensitive": true
      },
      "token_expiry": {
        "rcloneType": "string"
      },
      "version": {
        "rcloneType": "string"
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "ftp": {
    "aliases": [
      "ftp"
    ],
    "bucketBased": false,
    "options": {
      "host": {
        "rcloneType": "string",
        "required": true
      },
      "user": {
        "rcloneType": "string"
      },
      "port": {
        "rcloneType": "int"
      },
      "pass": {
        "rcloneType": "string",
        "obscure": true,
        "sensitive": true
      },
      "tls": {
        "rcloneType": "bool"
      },
      "explicit_tls": {
        "rcloneType": "bool"
      },
      "concurrency": {
        "rcloneType": "int"
      },
      "no_check_certificate": {
        "rcloneType": "bool"
      },
      "disable_epsv": {
        "rcloneType": "bool"
      },
      "disable_mlsd": {
        "rcloneType": "bool"
      },
      "disable_utf8": {
        "rcloneType": "bool"
      },
      "writing_mdtm": {
        "rcloneType": "bool"
      },
      "force_list_hidden": {
        "rcloneType": "bool"
      },
      "idle_timeout": {
        "rcloneType": "Duration"
      },
      "close_timeout": {
        "rcloneType": "Duration"
      },
      "tls_cache_size": {
        "rcloneType": "int"
      },
      "disable_tls13": {
        "rcloneType": "bool"
      },
      "shut_timeout": {
        "rcloneType": "Duration"
      },
      "ask_password": {
        "rcloneType": "bool"
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "google cloud storage": {
    "aliases": [
      "google cloud storage",
      "gcs"
    ],
    "bucketBased": true,
    "options": {
      "client_id": {
        "rcloneType": "string"
      },
      "client_secret": {
        "rcloneType": "string",
        "sensitive": true
      },
      "token": {
        "rcloneType": "string",
        "sensitive": true
      },
      "auth_url": {
        "rcloneType": "string"
      },
      "token_url": {
        "rcloneType": "string"
      },
      "project_number": {
        "rcloneType": "string"
      },
      "service_account_file": {
        "rcloneType": "string"
      },
      "service_account_credentials": {
        "rcloneType": "string",
        "sensitive": true
      },
      "anonymous": {
        "rcloneType": "bool"
      },
      "object_acl": {
        "rcloneType": "string"
      },
      "bucket_acl": {
        "rcloneType": "string"
      },
      "bucket_policy_only": {
        "rcloneType": "bool"
      },
      "location": {
        "rcloneType": "string"
      },
      "storage_class": {
        "rcloneType": "string"
      },
      "no_check_bucket": {
        "rcloneType": "bool"
      },
      "decompress": {
        "rcloneType": "bool"
      },
      "endpoint": {
        "rcloneType": "string"
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "google photos": {
    "aliases": [
      "google photos",
      "gphotos"
    ],
    "bucketBased": false,
    "options": {
      "client_id": {
        "rcloneType": "string"
      },
      "client_secret": {
        "rcloneType": "string",
        "sensitive": true
      },
      "token": {
        "rcloneType": "string",
        "sensitive": true
      },
      "auth_url": {
        "rcloneType": "string"
      },
      "token_url": {
        "rcloneType": "string"
      },
      "read_only": {
        "rcloneType": "bool"
      },
      "read_size": {
        "rcloneType": "bool"
      },
      "start_year": {
        "rcloneType": "int"
      },
      "include_archived": {
        "rcloneType": "bool"
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "hdfs": {
    "aliases": [
      "hdfs"
    ],
    "bucketBased": false,
    "options": {
      "namenode": {
        "rcloneType": "string",
        "required": true
      },
      "username": {
        "rcloneType": "string"
      },
      "service_principal_name": {
        "rcloneType": "string"
      },
      "data_transfer_protection": {
        "rcloneType": "string"
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "hidrive": {
    "aliases": [
      "hidrive"
    ],
    "bucketBased": false,
    "options": {
      "client_id": {
        "rcloneType": "string"
      },
      "client_secret": {
        "rcloneType": "string",
        "sensitive": true
      },
      "token": {
        "rcloneType": "string",
        "sensitive": true
      },
      "auth_url": {
        "rcloneType": "string"
      },
      "token_url": {
        "rcloneType": "string"
      },
      "scope_access": {
        "rcloneType": "string"
      },
      "scope_role": {
        "rcloneType": "string"
      },
      "root_prefix": {
        "rcloneType": "string"
      },
      "endpoint": {
        "rcloneType": "string"
      },
      "disable_fetching_member_count": {
        "rcloneType": "bool"
      },
      "chunk_size": {
        "rcloneType": "SizeSuffix"
      },
      "upload_cutoff": {
        "rcloneType": "SizeSuffix"
      },
      "upload_concurrency": {
        "rcloneType": "int"
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "http": {
    "aliases": [
      "http"
    ],
    "bucketBased": false,
    "options": {
      "url": {
        "rcloneType": "string",
        "required": true
      },
      "headers": {
        "rcloneType": "CommaSepList",
        "sensitive": true
      },
      "no_slash": {
        "rcloneType": "bool"
      },
      "no_head": {
        "rcloneType": "bool"
      }
    }
  },
  "internetarchive": {
    "aliases": [
      "internetarchive"
    ],
    "bucketBased": false,
    "options": {
      "access_key_id": {
        "rcloneType": "string",
        "sensitive": true
      },
      "secret_access_key": {
        "rcloneType": "string",
        "sensitive": true
      },
      "endpoint": {
        "rcloneType": "string"
      },
      "front_endpoint": {
        "rcloneType": "string"
      },
      "disable_checksum": {
        "rcloneType": "bool"
      },
      "wait_archive": {
        "rcloneType": "Duration"
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "jottacloud": {
    "aliases": [
      "jottacloud"
    ],
    "bucketBased": false,
    "options": {
      "md5_memory_limit": {
        "rcloneType": "SizeSuffix"
      },
      "trashed_only": {
        "rcloneType": "bool"
      },
      "hard_delete": {
        "rcloneType": "bool"
      },
      "upload_resume_limit": {
        "rcloneType": "SizeSuffix"
      },
      "no_versions": {
        "rcloneType": "bool"
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "koofr": {
    "aliases": [
      "koofr"
    ],
    "bucketBased": false,
    "options": {
      "provider": {
        "rcloneType": "string"
      },
      "endpoint": {
        "rcloneType": "string"
      },
      "mountid": {
        "rcloneType": "string"
      },
      "setmtime": {
        "rcloneType": "bool"
      },
      "user": {
        "rcloneType": "string",
        "required": true
      },
      "password": {
        "rcloneType": "string",
        "required": true,
        "obscure": true,
        "sensitive": true
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "local": {
    "aliases": [
      "local"
    ],
    "bucketBased": false,
    "options": {
      "nounc": {
        "rcloneType": "bool"
      },
      "copy_links": {
        "rcloneType": "bool"
      },
      "links": {
        "rcloneType": "bool"
      },
      "skip_links": {
        "rcloneType": "bool"
      },
      "zero_size_links": {
        "rcloneType": "bool"
      },
      "unicode_normalization": {
        "rcloneType": "bool"
      },
      "no_check_updated": {
        "rcloneType": "bool"
      },
      "one_file_system": {
        "rcloneType": "bool"
      },
      "case_sensitive": {
        "rcloneType": "bool"
      },
      "case_insensitive": {
        "rcloneType": "bool"
      },
      "no_preallocate": {
        "rcloneType": "bool"
      },
      "no_sparse": {
        "rcloneType": "bool"
      },
      "no_set_modtime": {
        "rcloneType": "bool"
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "mailru": {
    "aliases": [
      "mailru"
    ],
    "bucketBased": false,
    "options": {
      "user": {
        "rcloneType": "string",
        "required": true
      },
      "pass": {
        "rcloneType": "string",
        "required": true,
        "obscure": true,
        "sensitive": true
      },
      "speedup_enable": {
        "rcloneType": "bool"
      },
      "speedup_file_patterns": {
        "rcloneType": "string"
      },
      "speedup_max_disk": {
        "rcloneType": "SizeSuffix"
      },
      "speedup_max_memory": {
        "rcloneType": "SizeSuffix"
      },
      "check_hash": {
        "rcloneType": "bool"
      },
      "user_agent": {
        "rcloneType": "string"
      },
      "quirks": {
        "rcloneType": "string"
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "netstorage": {
    "aliases": [
      "netstorage"
    ],
    "bucketBased": false,
    "options": {
      "protocol": {
        "rcloneType": "string"
      },
      "host": {
        "rcloneType": "string",
        "required": true
      },
      "account": {
        "rcloneType": "string",
        "required": true
      },
      "secret": {
        "rcloneType": "string",
        "required": true,
        "obscure": true,
        "sensitive": true
      }
    }
  },
  "onedrive": {
    "aliases": [
      "onedrive"
    ],
    "bucketBased": false,
    "options": {
      "client_id": {
        "rcloneType": "string"
      },
      "client_secret": {
        "rcloneType": "string",
        "sensitive": true
      },
      "token": {
        "rcloneType": "string",
        "sensitive": true
      },
      "auth_url": {
        "rcloneType": "string"
      },
      "token_url": {
        "rcloneType": "string"
      },
      "region": {
        "rcloneType": "string"
      },
      "chunk_size": {
        "rcloneType": "SizeSuffix"
      },
      "drive_id": {
        "rcloneType": "string"
      },
      "drive_type": {
        "rcloneType": "string"
      },
      "root_folder_id": {
        "rcloneType": "string"
      },
      "access_scopes": {
        "rcloneType": "SpaceSepList"
      },
      "disable_site_permission": {
        "rcloneType": "bool"
      },
      "expose_onenote_files": {
        "rcloneType": "bool"
      },
      "server_side_across_configs": {
        "rcloneType": "bool"
      },
      "list_chunk": {
        "rcloneType": "int"
      },
      "no_versions": {
        "rcloneType": "bool"
      },
      "link_scope": {
        "rcloneType": "string"
      },
      "link_type": {
        "rcloneType": "string"
      },
      "link_password": {
        "rcloneType": "string",
        "sensitive": true
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "opendrive": {
    "aliases": [
      "opendrive"
    ],
    "bucketBased": false,
    "options": {
      "username": {
        "rcloneType": "string",
        "required": true
      },
      "password": {
        "rcloneType": "string",
        "required": true,
        "obscure": true,
        "sensitive": true
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      },
      "chunk_size": {
        "rcloneType": "SizeSuffix"
      }
    }
  },
  "pcloud": {
    "aliases": [
      "pcloud"
    ],
    "bucketBased": false,
    "options": {
      "client_id": {
        "rcloneType": "string"
      },
      "client_secret": {
        "rcloneType": "string",
        "sensitive": true
      },
      "token": {
        "rcloneType": "string",
        "sensitive": true
      },
      "auth_url": {
        "rcloneType": "string"
      },
      "token_url": {
        "rcloneType": "string"
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      },
      "root_folder_id": {
        "rcloneType": "string"
      },
      "hostname": {
        "rcloneType": "string"
      },
      "username": {
        "rcloneType": "string"
      },
      "password": {
        "rcloneType": "string",
        "obscure": true,
        "sensitive": true
      }
    }
  },
  "premiumizeme": {
    "aliases": [
      "premiumizeme"
    ],
    "bucketBased": false,
    "options": {
      "api_key": {
        "rcloneType": "string",
        "sensitive": true
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "putio": {
    "aliases": [
      "putio"
    ],
    "bucketBased": false,
    "options": {
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "s3": {
    "aliases": [
      "s3"
    ],
    "bucketBased": true,
    "options": {
      "provider": {
        "rcloneType": "string"
      },
      "env_auth": {
        "rcloneType": "bool"
      },
      "access_key_id": {
        "rcloneType": "string",
        "sensitive": true
      },
      "secret_access_key": {
        "rcloneType": "string",
        "sensitive": true
      },
      "region": {
        "rcloneType": "string"
      },
      "endpoint": {
        "rcloneType": "string"
      },
      "location_constraint": {
        "rcloneType": "string"
      },
      "acl": {
        "rcloneType": "string"
      },
      "bucket_acl": {
        "rcloneType": "string"
      },
      "requester_pays": {
        "rcloneType": "bool"
      },
      "server_side_encryption": {
        "rcloneType": "string"
      },
      "sse_customer_algorithm": {
        "rcloneType": "string"
      },
      "sse_kms_key_id": {
        "rcloneType": "string"
      },
      "sse_customer_key": {
        "rcloneType": "string",
        "sensitive": true
      },
      "sse_customer_key_base64": {
        "rcloneType": "string",
        "sensitive": true
      },
      "sse_customer_key_md5": {
        "rcloneType": "string"
      },
      "storage_class": {
        "rcloneType": "string"
      },
      "upload_cutoff": {
        "rcloneType": "SizeSuffix"
      },
      "chunk_size": {
        "rcloneType": "SizeSuffix"
      },
      "max_upload_parts": {
        "rcloneType": "int"
      },
      "copy_cutoff": {
        "rcloneType": "SizeSuffix"
      },
      "disable_checksum": {
        "rcloneType": "bool"
      },
      "shared_credentials_file": {
        "rcloneType": "string"
      },
      "profile": {
        "rcloneType": "string"
      },
      "session_token": {
        "rcloneType": "string",
        "sensitive": true
      },
      "upload_concurrency": {
        "rcloneType": "int"
      },
      "force_path_style": {
        "rcloneType": "bool"
      },
      "v2_auth": {
        "rcloneType": "bool"
      },
      "use_accelerate_endpoint": {
        "rcloneType": "bool"
      },
      "leave_parts_on_error": {
        "rcloneType": "bool"
      },
      "list_chunk": {
        "rcloneType": "int"
      },
      "list_version": {
        "rcloneType": "int"
      },
      "list_url_encode": {
        "rcloneType": "Tristate"
      },
      "no_check_bucket": {
        "rcloneType": "bool"
      },
      "no_head": {
        "rcloneType": "bool"
      },
      "no_head_object": {
        "rcloneType": "bool"
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      },
      "memory_pool_flush_time": {
        "rcloneType": "Duration"
      },
      "memory_pool_use_mmap": {
        "rcloneType": "bool"
      },
      "disable_http2": {
        "rcloneType": "bool"
      },
      "download_url": {
        "rcloneType": "string"
      },
      "use_multipart_etag": {
        "rcloneType": "Tristate"
      },
      "use_presigned_request": {
        "rcloneType": "bool"
      },
      "versions": {
        "rcloneType": "bool"
      },
      "version_at": {
        "rcloneType": "Time"
      },
      "decompress": {
        "rcloneType": "bool"
      },
      "might_gzip": {
        "rcloneType": "Tristate"
      },
      "no_system_metadata": {
        "rcloneType": "bool"
      }
    }
  },
  "seafile": {
    "aliases": [
      "seafile"
    ],
    "bucketBased": false,
    "options": {
      "url": {
        "rcloneType": "string",
        "required": true
      },
      "user": {
        "rcloneType": "string",
        "required": true
      },
      "pass": {
        "rcloneType": "string",
        "obscure": true,
        "sensitive": true
      },
      "2fa": {
        "rcloneType": "bool"
      },
      "library": {
        "rcloneType": "string"
      },
      "library_key": {
        "rcloneType": "string",
        "obscure": true,
        "sensitive": true
      },
      "create_library": {
        "rcloneType": "bool"
      },
      "auth_token": {
        "rcloneType": "string",
        "sensitive": true
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "sftp": {
    "aliases": [
      "sftp"
    ],
    "bucketBased": false,
    "options": {
      "host": {
        "rcloneType": "string",
        "required": true
      },
      "user": {
        "rcloneType": "string"
      },
      "port": {
        "rcloneType": "int"
      },
      "pass": {
        "rcloneType": "string",
        "obscure": true,
        "sensitive": true
      },
      "key_pem": {
        "rcloneType": "string",
        "sensitive": true
      },
      "key_file": {
        "rcloneType": "string"
      },
      "key_file_pass": {
        "rcloneType": "string",
        "obscure": true,
        "sensitive": true
      },
      "pubkey_file": {
        "rcloneType": "string"
      },
      "known_hosts_file": {
        "rcloneType": "string"
      },
      "key_use_agent": {
        "rcloneType": "bool"
      },
      "use_insecure_cipher": {
        "rcloneType": "bool"
      },
      "disable_hashcheck": {
        "rcloneType": "bool"
      },
      "ask_password": {
        "rcloneType": "bool"
      },
      "path_override": {
        "rcloneType": "string"
      },
      "set_modtime": {
        "rcloneType": "bool"
      },
      "shell_type": {
        "rcloneType": "string"
      },
      "md5sum_command": {
        "rcloneType": "string"
      },
      "sha1sum_command": {
        "rcloneType": "string"
      },
      "skip_links": {
        "rcloneType": "bool"
      },
      "subsystem": {
        "rcloneType": "string"
      },
      "server_command": {
        "rcloneType": "string"
      },
      "use_fstat": {
        "rcloneType": "bool"
      },
      "disable_concurrent_reads": {
        "rcloneType": "bool"
      },
      "disable_concurrent_writes": {
        "rcloneType": "bool"
      },
      "idle_timeout": {
        "rcloneType": "Duration"
      },
      "chunk_size": {
        "rcloneType": "SizeSuffix"
      },
      "concurrency": {
        "rcloneType": "int"
      },
      "set_env": {
        "rcloneType": "SpaceSepList"
      }
    }
  },
  "sharefile": {
    "aliases": [
      "sharefile"
    ],
    "bucketBased": false,
    "options": {
      "upload_cutoff": {
        "rcloneType": "SizeSuffix"
      },
      "root_folder_id": {
        "rcloneType": "string"
      },
      "chunk_size": {
        "rcloneType": "SizeSuffix"
      },
      "endpoint": {
        "rcloneType": "string"
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "sia": {
    "aliases": [
      "sia"
    ],
    "bucketBased": false,
    "options": {
      "api_url": {
        "rcloneType": "string"
      },
      "api_password": {
        "rcloneType": "string",
        "obscure": true,
        "sensitive": true
      },
      "user_agent": {
        "rcloneType": "string"
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "smb": {
    "aliases": [
      "smb"
    ],
    "bucketBased": false,
    "options": {
      "host": {
        "rcloneType": "string",
        "required": true
      },
      "user": {
        "rcloneType": "string"
      },
      "port": {
        "rcloneType": "int"
      },
      "pass": {
        "rcloneType": "string",
        "obscure": true,
        "sensitive": true
      },
      "domain": {
        "rcloneType": "string"
      },
      "idle_timeout": {
        "rcloneType": "Duration"
      },
      "hide_special_share": {
        "rcloneType": "bool"
      },
      "case_insensitive": {
        "rcloneType": "bool"
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "sugarsync": {
    "aliases": [
      "sugarsync"
    ],
    "bucketBased": false,
    "options": {
      "app_id": {
        "rcloneType": "string"
      },
      "access_key_id": {
        "rcloneType": "string",
        "sensitive": true
      },
      "private_access_key": {
        "rcloneType": "string",
        "sensitive": true
      },
      "hard_delete": {
        "rcloneType": "bool"
      },
      "refresh_token": {
        "rcloneType": "string",
        "sensitive": true
      },
      "authorization": {
        "rcloneType": "string"
      },
      "authorization_expiry": {
        "rcloneType": "string"
      },
      "user": {
        "rcloneType": "string"
      },
      "root_id": {
        "rcloneType": "string"
      },
      "deleted_id": {
        "rcloneType": "string"
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "swift": {
    "aliases": [
      "swift"
    ],
    "bucketBased": true,
    "options": {
      "env_auth": {
        "rcloneType": "bool"
      },
      "user": {
        "rcloneType": "string"
      },
      "key": {
        "rcloneType": "string",
        "sensitive": true
      },
      "auth": {
        "rcloneType": "string"
      },
      "user_id": {
        "rcloneType": "string"
      },
      "domain": {
        "rcloneType": "string"
      },
      "tenant": {
        "rcloneType": "string"
      },
      "tenant_id": {
        "rcloneType": "string"
      },
      "tenant_domain": {
        "rcloneType": "string"
      },
      "region": {
        "rcloneType": "string"
      },
      "storage_url": {
        "rcloneType": "string"
      },
      "auth_token": {
        "rcloneType": "string",
        "sensitive": true
      },
      "application_credential_id": {
        "rcloneType": "string"
      },
      "application_credential_name": {
        "rcloneType": "string"
      },
      "application_credential_secret": {
        "rcloneType": "string",
        "sensitive": true
      },
      "auth_version": {
        "rcloneType": "int"
      },
      "endpoint_type": {
        "rcloneType": "string"
      },
      "leave_parts_on_error": {
        "rcloneType": "bool"
      },
      "storage_policy": {
        "rcloneType": "string"
      },
      "chunk_size": {
        "rcloneType": "SizeSuffix"
      },
      "no_chunk": {
        "rcloneType": "bool"
      },
      "no_large_objects": {
        "rcloneType": "bool"
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "uptobox": {
    "aliases": [
      "uptobox"
    ],
    "bucketBased": false,
    "options": {
      "access_token": {
        "rcloneType": "string",
        "sensitive": true
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "webdav": {
    "aliases": [
      "webdav"
    ],
    "bucketBased": false,
    "options": {
      "url": {
        "rcloneType": "string",
        "required": true
      },
      "vendor": {
        "rcloneType": "string"
      },
      "user": {
        "rcloneType": "string"
      },
      "pass": {
        "rcloneType": "string",
        "obscure": true,
        "sensitive": true
      },
      "bearer_token": {
        "rcloneType": "string",
        "sensitive": true
      },
      "bearer_token_command": {
        "rcloneType": "string"
      },
      "encoding": {
        "rcloneType": "string"
      },
      "headers": {
        "rcloneType": "CommaSepList",
        "sensitive": true
      }
    }
  },
  "yandex": {
    "aliases": [
      "yandex"
    ],
    "bucketBased": false,
    "options": {
      "client_id": {
        "rcloneType": "string"
      },
      "client_secret": {
        "rcloneType": "string",
        "sensitive": true
      },
      "token": {
        "rcloneType": "string",
        "sensitive": true
      },
      "auth_url": {
        "rcloneType": "string"
      },
      "token_url": {
        "rcloneType": "string"
      },
      "hard_delete": {
        "rcloneType": "bool"
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  },
  "zoho": {
    "aliases": [
      "zoho"
    ],
    "bucketBased": false,
    "options": {
      "client_id": {
        "rcloneType": "string"
      },
      "client_secret": {
        "rcloneType": "string",
        "sensitive": true
      },
      "token": {
        "rcloneType": "string",
        "sensitive": true
      },
      "auth_url": {
        "rcloneType": "string"
      },
      "token_url": {
        "rcloneType": "string"
      },
      "region": {
        "rcloneType": "string"
      },
      "encoding": {
        "rcloneType": "MultiEncoder"
      }
    }
  }
};
