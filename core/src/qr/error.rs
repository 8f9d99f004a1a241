//! The decoder's errors at the core's boundary: both kinds (inconsistent plane dimensions,
//! unreadable image files) reach the app as `InvalidInput`, a missing file as `NotFound`.

use gridpatrol_qr::DecodeError;

use crate::error::Error;

impl From<DecodeError> for Error {
    fn from(err: DecodeError) -> Error {
        match &err {
            DecodeError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                Error::NotFound(err.to_string())
            }
            _ => Error::InvalidInput(err.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_not_found_everything_else_invalid_input() {
        let missing = DecodeError::Io {
            path: "gone.png".into(),
            source: std::io::ErrorKind::NotFound.into(),
        };
        assert!(matches!(Error::from(missing), Error::NotFound(_)));
        let e = DecodeError::EmptyPlane {
            width: 0,
            height: 1,
        };
        assert!(matches!(Error::from(e), Error::InvalidInput(_)));
    }
}
