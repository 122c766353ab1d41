## The pages of the account area, the signed-in header, and times as pages show them

## Times (plural forms by count)
time-just-now = just now
time-minutes-ago = { $count ->
    [one] { $count } minute ago
   *[other] { $count } minutes ago
}
time-hours-ago = { $count ->
    [one] { $count } hour ago
   *[other] { $count } hours ago
}
time-days-ago = { $count ->
    [one] { $count } day ago
   *[other] { $count } days ago
}
time-on-date = on { $date }
date = { $day } { $month } { $year }
date-time = { $day } { $month } { $year }, { $time } UTC
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Header of every page
me-menu-label = Signed in as { $name }
me-menu-account = Your account
home-signed-in = You are signed in as { $name }.
home-go-to-account = Go to your account

## Navigation of the account area
account-nav-label = Your account
account-nav-profile = Profile
account-nav-security = Security
account-nav-sessions = Sessions
account-nav-apps = Applications
account-nav-api-keys = API keys

## Profile
profile-title = Profile
profile-name-change = Change your name
profile-name-label = New name
profile-name-hint = Shown on these pages and to the applications you allow to receive your name. At most 100 characters.
profile-name-submit = Save name
profile-done-name = Your name has been changed.

## Security
security-page-title = Security
security-done-password-changed = Your password has been changed. You have been signed out everywhere else.

## Sessions
sessions-title = Sessions
sessions-intro = The browsers signed in to your account. Sign out any you do not recognise, and change your password.
sessions-device = { $browser } on { $system }
sessions-device-unknown-browser = A browser on { $system }
sessions-device-unknown = Unknown browser

## Applications
apps-title = Applications
apps-intro = The applications you allowed to use your account, and what each one receives. Revoking access signs you out of the application; it asks again the next time you sign in to it.
apps-receives = Receives
apps-granted = allowed { $when }
table-actions = Actions
