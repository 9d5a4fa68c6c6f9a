//! Where evidence files live: an `object_store` — a local directory under the data directory by
//! default, or an S3-compatible bucket (`s3://bucket/prefix`) that several replicas share. Files
//! are content-addressed by SHA-256, so the same photo uploaded twice is stored once and a stored
//! file never changes.

use std::path::Path as FsPath;
use std::sync::Arc;

use anyhow::Context;
use bytes::Bytes;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::prefix::PrefixStore;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

#[derive(Clone, Debug)]
pub struct FileStore {
    store: Arc<dyn ObjectStore>,
}

impl FileStore {
    /// `url` (e.g. `s3://bucket/jiandu`, configured further by the usual `AWS_*` variables) when
    /// given, else the `files` folder of `data_dir`.
    pub fn open(data_dir: &FsPath, url: Option<&str>) -> anyhow::Result<FileStore> {
        let store: Arc<dyn ObjectStore> = match url {
            Some(url) => {
                let parsed = url::Url::parse(url)
                    .with_context(|| format!("`{url}` is not a valid file store URL"))?;
                let options = std::env::vars()
                    .filter(|(name, _)| name.starts_with("AWS_"))
                    .map(|(name, value)| (name.to_ascii_lowercase(), value));
                let (store, prefix) = object_store::parse_url_opts(&parsed, options)
                    .with_context(|| format!("cannot open the file store at `{url}`"))?;
                Arc::new(PrefixStore::new(store, prefix))
            }
            None => {
                let dir = data_dir.join("files");
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
                Arc::new(
                    LocalFileSystem::new_with_prefix(&dir)
                        .with_context(|| format!("cannot use {} for files", dir.display()))?,
                )
            }
        };
        Ok(FileStore { store })
    }

    fn path(sha256: &str) -> Path {
        Path::from_iter(["sha256", &sha256[..2.min(sha256.len())], sha256])
    }

    /// Stores `bytes` under their hash; storing the same bytes again changes nothing.
    pub async fn put(&self, sha256: &str, bytes: Bytes) -> anyhow::Result<()> {
        let path = Self::path(sha256);
        if self.store.head(&path).await.is_ok() {
            return Ok(());
        }
        self.store
            .put(&path, PutPayload::from_bytes(bytes))
            .await
            .context("storing a file")?;
        Ok(())
    }

    pub async fn get(&self, sha256: &str) -> anyhow::Result<Bytes> {
        let result = self
            .store
            .get(&Self::path(sha256))
            .await
            .context("reading a stored file")?;
        result.bytes().await.context("reading a stored file")
    }
}
