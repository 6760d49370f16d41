;;; emacs_e2e.el --- tether in a real Emacs (batch): Eglot with `tether lsp'
;;; through editor/emacs/tether.el, then `tether-check' in compile mode.
;; Environment: TETHER (the program), TETHER_EDITOR_DIR (editor/),
;; TETHER_FILE (a leaky C file to open), TETHER_OUT (results, one per line).
;; Exits 0 when every step worked, 1 with the failing step in TETHER_OUT.

(require 'package)
;; Debian's elpa-* packages (elpa-eglot), also under -Q.
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)
(require 'eglot)
(require 'flymake)
(load (expand-file-name "emacs/tether.el" (getenv "TETHER_EDITOR_DIR")))
(setq tether-program (getenv "TETHER"))
(setq tether-lsp-options '(:tether (:debounceMs 50)))
(setq eglot-sync-connect t)
(setq eglot-send-changes-idle-time 0.1)

(defvar e2e-out nil)
(defun e2e-say (fmt &rest args)
  (push (apply #'format fmt args) e2e-out))
(defun e2e-finish (ok)
  (with-temp-file (getenv "TETHER_OUT")
    (insert (mapconcat #'identity (reverse e2e-out) "\n") "\n"))
  (kill-emacs (if ok 0 1)))
(defun e2e-fail (fmt &rest args)
  (apply #'e2e-say (concat "FAIL " fmt) args)
  (e2e-finish nil))

(defun e2e-wait (what pred &optional seconds)
  "Waits up to SECONDS (30) for PRED, running timers and process output."
  (let ((end (+ (float-time) (or seconds 30))))
    (while (and (not (funcall pred)) (< (float-time) end))
      ;; Idle timers do not fire in batch mode: send the pending changes
      ;; as Eglot's idle timer would.
      (when (bound-and-true-p eglot--managed-mode) (eglot--signal-textDocument/didChange))
      (when (bound-and-true-p flymake-mode) (flymake-start))
      (accept-process-output nil 0.1))
    (unless (funcall pred) (e2e-fail "timed out waiting for %s" what))))

(defun e2e-diags ()
  (sort (mapcar (lambda (d)
                  (list (line-number-at-pos (flymake-diagnostic-beg d))
                        (flymake-diagnostic-text d)))
                (flymake-diagnostics))
        (lambda (a b) (< (car a) (car b)))))

(condition-case err
    (progn
      (find-file (getenv "TETHER_FILE"))
      (c-mode)
      ;; What `M-x eglot' does, with the contact tether.el registered.
      (let ((contact (cdr (assoc '(c-mode c-ts-mode) eglot-server-programs))))
        (unless (eq contact 'tether-eglot-contact) (e2e-fail "tether.el did not register its server"))
        (eglot '(c-mode) (cons 'transient default-directory) 'eglot-lsp-server (funcall contact nil) "c"))
      (e2e-wait "diagnostics" (lambda () (e2e-diags)))
      (dolist (d (e2e-diags)) (e2e-say "diag %d %s" (car d) (cadr d)))
      ;; The preferred quick fix of the finding, applied as eglot applies it.
      (let* ((d (car (flymake-diagnostics)))
             (actions (eglot-code-actions (flymake-diagnostic-beg d) (flymake-diagnostic-end d) "quickfix"))
             (fix (seq-find (lambda (a) (plist-get a :isPreferred)) actions)))
        (unless fix (e2e-fail "no preferred quick fix among %S" actions))
        (e2e-say "fix %s" (plist-get fix :title))
        (eglot--read-execute-code-action (list fix) (eglot-current-server) "quickfix"))
      (e2e-wait "the finding to go" (lambda () (null (flymake-diagnostics))))
      (e2e-say "after-fix %d" (length (flymake-diagnostics)))
      (save-buffer)
      (let ((file buffer-file-name))
       (with-temp-buffer
        (insert-file-contents file)
        (forward-line 20)
        (e2e-say "saved %s" (buffer-substring (line-beginning-position) (line-end-position)))))
      (accept-process-output nil 2)
      (flymake-start)
      (accept-process-output nil 0.5)
      (e2e-say "after-save %d" (length (flymake-diagnostics)))
      (eglot-shutdown (eglot-current-server))
      ;; Compile mode on the original text.
      (revert-buffer t t)
      (goto-char (point-min))
      (when (search-forward "tt_chan_new(sizeof(int), 1)" nil t)
        (replace-match "tt_chan_new(sizeof(int), 0)")
        (save-buffer))
      (let ((done nil))
        (add-hook 'compilation-finish-functions (lambda (_buf _msg) (setq done t)))
        (tether-check)
        (e2e-wait "tether check" (lambda () done) 60))
      (with-current-buffer "*compilation*"
        (goto-char (point-min))
        (compilation-next-error 1)
        (let* ((msg (get-text-property (point) 'compilation-message))
               (loc (compilation--message->loc msg)))
          (e2e-say "compile %d %s" (cadr loc)
                   (buffer-substring (line-beginning-position) (line-end-position)))))
      (e2e-finish t))
  (error (e2e-fail "error %S" err)))
