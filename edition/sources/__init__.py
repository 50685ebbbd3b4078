"""Plain-text sources → TEI: sentence segmentation, import and lossless read-back."""
