# The copy button beside a secret shown once (static/js/copy.js).
copy-button = Copy
copy-copied = Copied
copy-failed = Select the text and copy it
