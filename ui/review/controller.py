"""The reviewer's session in the main window: login (off the GUI thread), the workspace page, logout.

Logging in with a reviewer or supervisor account adds the review workspace as a page of the central
stack and switches to it; an operator account is told the workspace is not for it and never sees it.
A reviewer session kept from an earlier run (token in the keyring, role in the store's meta) is resumed.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from desktop_app import credentials, messages
from desktop_app.review.service import ReviewService, ca_verify
from desktop_app.review.views import META_AREA, META_ROLE, META_URL, META_USER, REVIEW_ROLES, ReviewSession
from desktop_app.tasks import TaskRunner
from domain.errors import user_message
from domain.states import role_label
from ui.review.dialogs import LoginDialog
from ui.review.workspace import ReviewWorkspace

log = logging.getLogger(__name__)

NOT_FOR_OPERATORS = ("Akun {user} adalah akun {role}. Ruang verifikasi hanya untuk peninjau kecamatan dan "
                     "supervisor kabupaten; petugas desa memakai layar pendataan.")


class ReviewController(QObject):
    """Owns the reviewer session and the workspace page of one main window."""

    session_changed = Signal(object)  # ReviewSession | None
    login_failed = Signal(str)

    def __init__(self, window: Any, runner: TaskRunner | None = None, context: Any = None) -> None:
        super().__init__(window)
        self.window = window
        self.runner: TaskRunner = runner or getattr(window, "runner", None) or TaskRunner(window)
        self.context = context if context is not None else getattr(window, "context", None)
        self.session: ReviewSession | None = None
        self.workspace: Any = None
        self.page_index: int | None = None
        self._disabled: list[QAction] = []
        self.login_action = QAction("Masuk sebagai &peninjau kecamatan…", window)
        self.login_action.setObjectName("actReviewLogin")
        self.login_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.login_action.triggered.connect(self.login_interactive)
        self.logout_action = QAction("Keluar dari ruang &verifikasi", window)
        self.logout_action.setObjectName("actReviewLogout")
        self.logout_action.setEnabled(False)
        self.logout_action.triggered.connect(self.logout)
        add = getattr(window, "add_menu_action", None)
        if callable(add):
            add("sync", self.login_action)
            add("sync", self.logout_action)
        elif isinstance(window, QWidget):
            window.addAction(self.login_action)

    # ---- meta (the store of the main window; optional in tests)

    def _meta(self, key: str) -> str | None:
        getter = getattr(self.context, "get_meta", None)
        return getter(key) if callable(getter) else None

    def _set_meta(self, key: str, value: str) -> None:
        setter = getattr(self.context, "set_meta", None)
        if callable(setter):
            setter(key, value)

    # ---- login

    def login_interactive(self) -> None:
        dlg = LoginDialog(self.window if isinstance(self.window, QWidget) else None,
                          # The reviewer's last server, else the one this PC was provisioned with.
                          server_url=self._meta(META_URL) or self._meta("sync.server_url") or "",
                          username=self._meta(META_USER) or "")
        dlg.accepted.connect(lambda: self.login(dlg.server.text().strip(), dlg.username.text().strip(),
                                                dlg.password.text()))
        dlg.open()

    def login(self, server_url: str, username: str, password: str) -> None:
        """Log in off the GUI thread; on success a reviewer/supervisor enters the workspace."""
        def failed(exc: BaseException) -> None:
            text = user_message(exc)
            if text is None:
                log.error("review login failed", exc_info=exc)
                text = "Login gagal karena kesalahan program (lihat log)."
            else:
                text = f"Login gagal. {text}"
            self.login_failed.emit(text)
            messages.warning(text)

        messages.info("Menghubungi server…")
        verify = ca_verify(self.context)  # the provisioned CA file, as the operators' sync uses it
        self.runner.query(lambda _p: ReviewService.login(server_url, username, password, verify=verify),
                          on_success=self._logged_in, on_failure=failed, label="Login peninjau")

    def _logged_in(self, session: ReviewSession) -> None:
        self.enter_session(session)

    def enter_session(self, session: ReviewSession) -> bool:
        if not session.can_review:
            text = NOT_FOR_OPERATORS.format(user=session.username, role=role_label(session.role))
            self.login_failed.emit(text)
            messages.warning(text)
            return False
        credentials.save_token(session.server_url, session.username, session.token)
        for k, v in ((META_URL, session.server_url), (META_USER, session.username), (META_ROLE, session.role),
                     (META_AREA, session.area_code)):
            self._set_meta(k, v)
        self._open_workspace(session)
        return True

    def resume(self) -> bool:
        """Reopen the workspace for a reviewer token kept from an earlier run."""
        url, user, role = self._meta(META_URL), self._meta(META_USER), self._meta(META_ROLE)
        if not (url and user and role in REVIEW_ROLES):
            return False
        token = credentials.load_token(url, user)
        if not token:
            return False
        self._open_workspace(ReviewSession(url, user, role, self._meta(META_AREA) or "", token))
        return True

    def service_for(self, session: ReviewSession) -> ReviewService:
        """The review service of this window's store (its provisioned CA file verifies the server)."""
        return ReviewService.from_context(self.context, session)

    def _open_workspace(self, session: ReviewSession) -> None:
        self._close_workspace()
        self.session = session
        ws = ReviewWorkspace(self.service_for(session), self.runner)
        ws.logout_requested.connect(self.logout)
        self.workspace = ws
        add = getattr(self.window, "add_workspace", None)
        if callable(add):
            self.page_index = add(ws)
            self.window.show_workspace(self.page_index)
            self._disable_operator_actions()
        self.logout_action.setEnabled(True)
        self.session_changed.emit(session)
        messages.info(f"Masuk sebagai {session.username} ({role_label(session.role)}, {session.area_text}).")
        log.info("review workspace opened (role %s)", session.role)
        ws.reload()
        ws.inbox.inbox_view.setFocus()

    def _disable_operator_actions(self) -> None:
        """The operator's entry actions (and their shortcuts, e.g. Ctrl+E, Ctrl+F) are off while reviewing."""
        menu = getattr(self.window, "menu", None)
        if not callable(menu):
            return
        for key in ("file", "entry"):
            try:
                m = menu(key)
            except KeyError:
                continue
            for act in m.actions():
                if act.isEnabled() and act.objectName() != "actQuit" and not act.isSeparator():
                    act.setEnabled(False)
                    self._disabled.append(act)

    def _close_workspace(self) -> None:
        ws, self.workspace = self.workspace, None
        if ws is not None:
            stack = getattr(self.window, "stack", None)
            if stack is not None:
                stack.removeWidget(ws)
            ws.deleteLater()
        for act in self._disabled:
            act.setEnabled(True)
        self._disabled.clear()
        if self.page_index is not None and callable(getattr(self.window, "show_workspace", None)):
            self.window.show_workspace(0)
        self.page_index = None

    def logout(self) -> None:
        s = self.session
        self._close_workspace()
        self.session = None
        self.logout_action.setEnabled(False)
        if s is not None:
            credentials.delete_token(s.server_url, s.username)
            self._set_meta(META_ROLE, "")
        self.session_changed.emit(None)
        messages.info("Keluar dari ruang verifikasi.")
