//! Distributed Map I/O: [`ItemReader`], [`ItemBatcher`], [`ResultWriter`].

use serde::{Deserialize, Serialize};

use super::dynamic::NumberOrExpr;
use super::json::Json;
use super::serde_util::present;

/// `ItemReader`: where a Map reads its items from (S3).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ItemReader {
    /// e.g. `arn:aws:states:::s3:getObject`.
    pub resource: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reader_config: Option<ReaderConfig>,
    /// JSONPath template (`Bucket`, `Key`/`Prefix`).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub parameters: Option<Json>,
    /// JSONata equivalent of `Parameters`.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub arguments: Option<Json>,
}

/// `ItemReader.ReaderConfig`. String-valued enumerations are kept as strings: AWS adds input types
/// over time, and an unknown value is a validation concern, not a parse failure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ReaderConfig {
    /// `CSV`, `JSON`, `JSONL`, `MANIFEST`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_type: Option<String>,
    /// `FIRST_ROW` or `GIVEN`.
    #[serde(
        rename = "CSVHeaderLocation",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub csv_header_location: Option<String>,
    #[serde(
        rename = "CSVHeaders",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub csv_headers: Option<Vec<String>>,
    /// `COMMA`, `PIPE`, `SEMICOLON`, `SPACE`, `TAB`.
    #[serde(
        rename = "CSVDelimiter",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub csv_delimiter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<NumberOrExpr>,
    /// JSONPath only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items_path: Option<String>,
}

/// `ItemBatcher`: groups items into batches (at least one `Max…` field).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ItemBatcher {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items_per_batch: Option<NumberOrExpr>,
    /// JSONPath only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items_per_batch_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_input_bytes_per_batch: Option<NumberOrExpr>,
    /// JSONPath only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_input_bytes_per_batch_path: Option<String>,
    /// Added to every batch as `BatchInput` (template in JSONPath).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub batch_input: Option<Json>,
}

/// `ResultWriter`: writes the Map's results to S3 instead of returning them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ResultWriter {
    /// `arn:aws:states:::s3:putObject`; optional when only `WriterConfig` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub parameters: Option<Json>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub arguments: Option<Json>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub writer_config: Option<WriterConfig>,
}

/// `ResultWriter.WriterConfig`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct WriterConfig {
    /// `JSON` or `JSONL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_type: Option<String>,
    /// `NONE`, `COMPACT` or `FLATTEN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transformation: Option<String>,
}
