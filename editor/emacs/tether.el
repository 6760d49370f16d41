;;; tether.el --- tether's leak findings in Emacs: Eglot and compile mode  -*- lexical-binding: t; -*-

;; Two ways to see what `tether' finds in C code:
;; - Eglot (`M-x eglot', or `eglot-ensure' in `c-mode-hook') with the
;;   `tether lsp' language server: findings as Flymake diagnostics while you
;;   type, their fixes and "suppress on this line" with `eglot-code-actions'.
;; - `M-x tether-check': `tether check' on the current file in compile mode
;;   (the report is gcc-style, so `next-error' walks the findings and notes).

;;; Code:

(require 'compile)

(defgroup tether nil
  "Find leaked tasks and channels in C programs using libtether."
  :group 'tools)

(defcustom tether-program "tether"
  "The tether program."
  :type 'string)

(defcustom tether-lsp-options '(:tether (:frontend "auto"))
  "Initialization options of `tether lsp' (a plist, sent as JSON).
Under :tether, :frontend (\"auto\", \"clang\" or \"tree-sitter\"),
:configPath, :compileCommands, :rules (a plist of rule ids to \"off\",
\"on\", \"error\", \"warning\" or \"note\") and :debounceMs."
  :type 'sexp)

(defcustom tether-check-arguments ""
  "Extra arguments of `tether check' in `tether-check' (\"--fast\", \"-p build\")."
  :type 'string)

(defun tether-eglot-contact (&optional _interactive)
  "How Eglot starts `tether lsp'."
  (list tether-program "lsp" :initializationOptions tether-lsp-options))

(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs '((c-mode c-ts-mode) . tether-eglot-contact)))

;;;###autoload
(defun tether-check (&optional file)
  "Run `tether check' on FILE (the current buffer's file) in compile mode."
  (interactive)
  (let ((file (or file buffer-file-name (user-error "This buffer visits no file"))))
    (compile (mapconcat #'identity
                        (delq nil (list (shell-quote-argument tether-program) "check" "--no-color"
                                        (unless (string-empty-p tether-check-arguments) tether-check-arguments)
                                        (shell-quote-argument (expand-file-name file))))
                        " "))))

(provide 'tether)
;;; tether.el ends here
