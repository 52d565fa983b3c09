import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import { Link, useLocation } from "../router";
import { accessOf, ROLE_WORDS, useSession } from "../session";
import { IconActivity, IconCart, IconKey, IconLifebuoy, IconLogo, IconSettings, IconSignOut, IconTeam, IconUsers } from "./Icons";

interface NavItem {
  to: string;
  label: string;
  icon: ReactNode;
}

const RESELLER_NAV: NavItem[] = [
  { to: "/licenses", label: "Licenses", icon: <IconKey /> },
  { to: "/clients", label: "Clients", icon: <IconUsers /> },
  { to: "/plans", label: "Plans", icon: <IconCart /> },
  { to: "/activity", label: "Activity", icon: <IconActivity /> },
  { to: "/settings", label: "Settings", icon: <IconSettings /> },
];
/** Owners manage who else signs in; the page is not offered to staff and viewers (the API refuses them anyway). */
const USERS_NAV: NavItem = { to: "/users", label: "Users", icon: <IconTeam /> };
const SUPPORT_NAV: NavItem[] = [{ to: "/support", label: "Support console", icon: <IconLifebuoy /> }];

/** The signed-in frame: a sidebar on wide screens, a top bar with a menu button on narrow ones. */
export function Layout({ children }: { children: ReactNode }) {
  const { user, signOut } = useSession();
  const { path } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const navId = useId();
  const mainRef = useRef<HTMLElement>(null);
  const firstPath = useRef(path);

  const nav =
    user.role === "support"
      ? SUPPORT_NAV
      : accessOf(user).canManage
        ? [...RESELLER_NAV.slice(0, -1), USERS_NAV, ...RESELLER_NAV.slice(-1)]
        : RESELLER_NAV;
  const roleName = user.reseller_role ? ROLE_WORDS[user.reseller_role].name : null;
  const section = path.split("/")[1] ?? "";

  // A new page: close the mobile menu and move focus to the page so screen readers start reading it.
  useEffect(() => {
    setMenuOpen(false);
    if (firstPath.current === path) return;
    firstPath.current = "";
    mainRef.current?.querySelector<HTMLElement>("h1")?.focus();
  }, [path]);

  const accountName = user.role === "support" ? "Support staff" : (user.reseller_name ?? "Reseller");

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="sidebar">
        <div className="sidebar__top">
          <Link to={nav[0]?.to ?? "/"} className="brand" aria-label="licensepool home">
            <IconLogo />
            <span className="brand__name">licensepool</span>
            {user.role === "support" ? <span className="brand__tag">Support</span> : null}
          </Link>
          <button
            type="button"
            className="icon-button menu-toggle"
            aria-expanded={menuOpen}
            aria-controls={navId}
            aria-label={menuOpen ? "Hide account menu" : "Show account menu"}
            onClick={() => setMenuOpen((o) => !o)}
          >
            <span className="account__avatar account__avatar--small" aria-hidden="true">
              {accountName.charAt(0).toUpperCase()}
            </span>
          </button>
        </div>
        <div className={`sidebar__menu${menuOpen ? " is-open" : ""}`}>
          <nav aria-label="Main">
            <ul className="nav">
              {nav.map((item) => {
                const active = section === item.to.slice(1);
                return (
                  <li key={item.to}>
                    <Link
                      to={item.to}
                      className={`nav__link${active ? " is-active" : ""}`}
                      aria-current={active ? "page" : undefined}
                    >
                      {item.icon}
                      <span>{item.label}</span>
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
          <div className="account" id={navId}>
            <div className="account__avatar" aria-hidden="true">
              {accountName.charAt(0).toUpperCase()}
            </div>
            <div className="account__who">
              <p className="account__name">{accountName}</p>
              <p className="account__email">{user.email}</p>
              {roleName ? <p className="account__role">{roleName}</p> : null}
            </div>
            <button
              type="button"
              className="button button--ghost button--small account__signout"
              disabled={signingOut}
              onClick={() => {
                setSigningOut(true);
                void signOut().finally(() => setSigningOut(false));
              }}
            >
              <IconSignOut />
              {signingOut ? "Signing out…" : "Sign out"}
            </button>
          </div>
        </div>
      </header>
      <main id="main" ref={mainRef} className="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

/** Page title row: heading, a line of context, and the page's main actions. */
export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="page-header">
      <div className="page-header__text">
        <h1 className="page-title" tabIndex={-1}>
          {title}
        </h1>
        {subtitle ? <p className="page-subtitle">{subtitle}</p> : null}
      </div>
      {actions ? <div className="page-header__actions">{actions}</div> : null}
    </div>
  );
}

/** The signed-out pages (sign-in, accepting an invite): the form beside a panel of what licensepool does. */
export function SignInLayout({ quote, points, children }: { quote: string; points: string[]; children: ReactNode }) {
  return (
    <div className="signin">
      <main className="signin__panel" id="main">
        <div className="signin__brand">
          <IconLogo />
          <span>licensepool</span>
        </div>
        {children}
      </main>
      <aside className="signin__aside" aria-hidden="true">
        <div className="signin__aside-inner">
          <p className="signin__quote">{quote}</p>
          <ul className="signin__points">
            {points.map((point) => (
              <li key={point}>{point}</li>
            ))}
          </ul>
        </div>
      </aside>
    </div>
  );
}
