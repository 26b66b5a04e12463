"""Labelled corpus for the de-identification guard.

Every text is fictional: 555 phone numbers, example.* domains, documentation IP ranges, test card
numbers and invented people. Each sample carries the set of identifier kinds a careful reviewer
would say it contains; clean samples (empty set) are written to look like identifiers on purpose.
"""

from __future__ import annotations

from cases.deidentification import IdentifierKind as K

Sample = tuple[str, frozenset[K]]


def _s(text: str, *kinds: K) -> Sample:
    return (text, frozenset(kinds))


PHONE_SAMPLES = [
    _s("Client is 17, speaks Spanish, needs shelter tonight; call her at 414-555-0137 after 6pm.", K.PHONE),
    _s("Her cell is (555) 123-4567, texting is safer than calling.", K.PHONE),
    _s("Best number: 555.123.4567 (aunt's phone, do not leave a message).", K.PHONE),
    _s("Cousin in London can be reached on +44 20 7946 0958.", K.PHONE),
    _s("Sister's number 555 123 4567; only call between 9 and 11 am.", K.PHONE),
    _s("Text 5551234567 to confirm the hand-off.", K.PHONE),
    _s("Contact through the motel front desk +1-555-201-3344 ext. 12, ask for housekeeping.", K.PHONE),
    _s("WhatsApp +502 5555 1234 is how she talks to family in Guatemala.", K.PHONE),
    _s("Employer's office line 262-555-0199 x204 was printed on the pay stub.", K.PHONE),
    _s("Mother in Puebla: +52 55 1234 5678, speaks only Spanish.", K.PHONE),
    _s("Survivor gave a burner number, 920 555 0114, which may be monitored by the trafficker.", K.PHONE),
    _s("Reach the youth at 1 (608) 555-0172 after school.", K.PHONE),
    _s("call back on 555-0148 from a safe phone", K.PHONE),
    _s("Her boyfriend keeps calling from +1 414 555 0190 and she wants a new SIM.", K.PHONE),
    _s("Interpreter noted 011 52 33 1234 5678 for the family in Jalisco.", K.PHONE),
    _s("Her new number is 414.555.0162, safe to text.", K.PHONE),
    _s("Mom's WhatsApp is +1 (262) 555-0111.", K.PHONE),
    _s("Cell: 608-555-0189 (boyfriend may answer)", K.PHONE),
    _s("Client called the hotline from her aunt's phone, 1-888-373-7889, not the real hotline.", K.PHONE),
]

EMAIL_SAMPLES = [
    _s("She uses rosita.blue22@example.org to talk to the recruiter.", K.EMAIL),
    _s("Send the intake packet to her private address jm.survivor@example.org, not the group inbox.", K.EMAIL),
    _s("Email: k.t.walker+help@example.org", K.EMAIL),
    _s("Her email is maria at example dot org, she checks it at the library.", K.EMAIL),
    _s("Contact via luz[at]example[dot]org only.", K.EMAIL),
    _s("Trafficker's recruiting address was jobs4u (at) example (dot) com per the ad.", K.EMAIL),
    _s("Youth wrote SKYE_2009@EXAMPLE.ORG on the intake form; shredded after hand-off.", K.EMAIL),
    _s("Forward copies to the client's own account, dulce.m@example.com, only if she asks.", K.EMAIL),
    _s("He posted jobs from hr@agency-example.org promising farm work.", K.EMAIL),
    _s("reply to anna dot k at example dot org", K.EMAIL),
    _s("contact email is sofia_r@example.net", K.EMAIL),
]

SSN_SAMPLES = [
    _s("Has her SSN card: 123-45-6789, employer kept the original.", K.SSN),
    _s("SSN 123456789 was used by the employer on payroll.", K.SSN),
    _s("Social security number 219 09 9999 appears on the W-2 he showed us.", K.SSN),
    _s("Her SS# is 312-65-1120 per the benefits letter.", K.SSN),
    _s("Someone opened credit lines with 457-55-5462 in the client's name.", K.SSN),
    _s("social security no. 321-54-9876, needs a replacement card", K.SSN),
    _s("Last four of SSN 6789 given to the clinic; do not repeat.", K.SSN),
    _s("Intake form listed 532 11 4321 under SSN.", K.SSN),
    _s("S.S.N.: 412-33-0098", K.SSN),
    _s("SSN: 501-12-3456", K.SSN),
    _s("Her social is 123 45 6789.", K.SSN),
]

ID_NUMBER_SAMPLES = [
    _s("Passport number X1234567 is being held by the employer.", K.ID_NUMBER),
    _s("Her A-number is A123456789, the immigration attorney has it.", K.ID_NUMBER),
    _s("USCIS notice lists A-123-456-789 for the youth.", K.ID_NUMBER),
    _s("Driver's license D123-4567-8901 was confiscated.", K.ID_NUMBER),
    _s("DL# S530-4412-8891-07", K.ID_NUMBER),
    _s("Mexican passport G12345678 expired in 2024.", K.ID_NUMBER),
    _s("Student ID 20231187 from the high school.", K.ID_NUMBER),
    _s("Medicaid ID 9912345678 so the clinic can bill.", K.ID_NUMBER),
    _s("I-94 number 12345678901 shows entry on an H-2A visa.", K.ID_NUMBER),
    _s("Receipt number EAC2190012345 for the T visa application.", K.ID_NUMBER),
    _s("Booking number 24-008812 at the county jail.", K.ID_NUMBER),
    _s("Consular ID no. 0045-7782-19 issued by the consulate.", K.ID_NUMBER),
    _s("Her alien number 098765432 is on the NTA.", K.ID_NUMBER),
    _s("Employer wrote 0045126678 on her work badge.", K.ID_NUMBER),
    _s("Passport # C01X00T47 is held by the employer.", K.ID_NUMBER),
    _s("Student ID no. 4411902 at Lincoln Middle School.", K.ID_NUMBER),
    _s("Her driver license number is WDL12345678.", K.ID_NUMBER),
    _s("Medicaid # 88812345", K.ID_NUMBER),
    _s("A# 212-345-678 on the notice to appear.", K.ID_NUMBER),
]

CARD_OR_ACCOUNT_SAMPLES = [
    _s("Trafficker made her open a prepaid card 4111 1111 1111 1111 that he controls.", K.CARD_OR_ACCOUNT),
    _s("Card number 5555-5555-5555-4444 was used for the hotel rooms.", K.CARD_OR_ACCOUNT),
    _s("Account #00123456789 at the credit union receives her wages.", K.CARD_OR_ACCOUNT),
    _s("Wages were deposited to acct ending 4821.", K.CARD_OR_ACCOUNT),
    _s("Bank account 987654321, routing 021000021.", K.CARD_OR_ACCOUNT),
    _s("A reloadable card 4012888888881881 is in her name but he has it.", K.CARD_OR_ACCOUNT),
    _s("Amex 378282246310005 was used to pay for the online ads.", K.CARD_OR_ACCOUNT),
    _s("IBAN GB82 WEST 1234 5698 7654 32 for remittances home.", K.CARD_OR_ACCOUNT),
    _s("Her checking account no. 44-1029-3387 was emptied.", K.CARD_OR_ACCOUNT),
    _s("Paid through a card ending in 0005.", K.CARD_OR_ACCOUNT),
    _s("Account number 1234-5678-9012 at the check-cashing store.", K.CARD_OR_ACCOUNT),
    _s("Prepaid Visa, card ending 1111, is kept by the manager.", K.CARD_OR_ACCOUNT),
]

STREET_ADDRESS_SAMPLES = [
    _s("She is staying at 1423 N Maple Ave with the employer's family.", K.STREET_ADDRESS),
    _s("Pickup at 221B Baker Street, side door.", K.STREET_ADDRESS),
    _s("Mail goes to PO Box 12 at the farm office.", K.STREET_ADDRESS),
    _s("Apartment is 88 Elm St Apt 4B, third floor.", K.STREET_ADDRESS),
    _s("Massage business operates out of 3100 W Oklahoma Ave., Suite 6.", K.STREET_ADDRESS),
    _s("Lives in the trailer at 45 County Road K.", K.STREET_ADDRESS),
    _s("Workers housed at 7719 Highway 41, bunkhouse behind the barn.", K.STREET_ADDRESS),
    _s("Address: 12 Orchard Lane, Unit 3.", K.STREET_ADDRESS),
    _s("Trafficker's house, 508 E. 5th Street, has cameras.", K.STREET_ADDRESS),
    _s("P.O. Box 4471 is where her mail is forwarded.", K.STREET_ADDRESS),
    _s("staying with a friend at 1900 south 27th st apt 2", K.STREET_ADDRESS),
    _s("The cantina at 230 Main St. is where recruitment happens.", K.STREET_ADDRESS),
    _s("She sleeps in Apt 12C in the building behind the laundromat.", K.STREET_ADDRESS),
    _s("Lives on the 3rd floor of 4410 W Burleigh St.", K.STREET_ADDRESS),
    _s("Trafficker's place is 92 Cedar Court, Apt 7.", K.STREET_ADDRESS),
]

DATE_SAMPLES = [
    _s("DOB 03/14/2009, so she is a minor.", K.DATE_OF_BIRTH),
    _s("Born 2009-03-14 per the birth certificate.", K.DATE_OF_BIRTH),
    _s("Date of birth: March 14, 2009.", K.DATE_OF_BIRTH),
    _s("She was born 14 March 2009 in Guatemala.", K.DATE_OF_BIRTH),
    _s("Arrived in the US on 7/2/2023 on a tourist visa.", K.DATE),
    _s("Incident happened on Jan. 5, 2026 at the truck stop.", K.DATE),
    _s("D.O.B. 1-9-98", K.DATE_OF_BIRTH),
    _s("Her birthday is 11.23.2007.", K.DATE_OF_BIRTH),
    _s("Court hearing set for 2026-04-02 at 9:00.", K.DATE),
    _s("Last contact was 5th of February 2026.", K.DATE),
    _s("birthdate 04/30/06; mother confirmed", K.DATE_OF_BIRTH),
    _s("The raid was on December 3rd, 2025.", K.DATE),
    _s("DOB 031409 per school records.", K.DATE_OF_BIRTH),
    _s("DOB is 2/29/2008 per her.", K.DATE_OF_BIRTH),
    _s("born on the 3rd of May, 2007", K.DATE_OF_BIRTH),
    _s("She turned 18 on 12 Jan 2026.", K.DATE),
    _s("Moved to the motel on 3/14/2026, the night of the raid.", K.DATE),
    _s("Left the farm on March 2, 2026 with her cousin.", K.DATE),
]

LICENSE_PLATE_SAMPLES = [
    _s("Trafficker drives a grey sedan, plate ABC-1234.", K.LICENSE_PLATE),
    _s("License plate 7XYZ123, California tags.", K.LICENSE_PLATE),
    _s("Van with Wisconsin plate AHK 4471 parks at the motel.", K.LICENSE_PLATE),
    _s("Plate number: 9KLM554", K.LICENSE_PLATE),
    _s("White pickup, tag GHJ2209, seen at the farm.", K.LICENSE_PLATE),
    _s("Took a photo of the plates, WI 521-LMX.", K.LICENSE_PLATE),
    _s("licence plate reads BN68 XKZ on the recruiter's car", K.LICENSE_PLATE),
    _s("Black SUV, Illinois plates AB 12345.", K.LICENSE_PLATE),
    _s("Registration plate 482-TRW on the van.", K.LICENSE_PLATE),
    _s("Silver Camry, KRT 5521, parked behind the motel every night.", K.LICENSE_PLATE),
    _s("Plate reads 8ABC234 (CA).", K.LICENSE_PLATE),
    _s("Truck with Texas tag JKL-5523.", K.LICENSE_PLATE),
]

SOCIAL_HANDLE_SAMPLES = [
    _s("Recruiter contacted her on Instagram as @sunny.jobs.usa.", K.SOCIAL_HANDLE),
    _s("IG: lil_mami_09", K.SOCIAL_HANDLE),
    _s("Her snap: kayla.xo2", K.SOCIAL_HANDLE),
    _s("Buyer messaged from TikTok @easy_money_4u.", K.SOCIAL_HANDLE),
    _s("Snapchat username is dreamgirl_222, do not add her.", K.SOCIAL_HANDLE),
    _s("Telegram: @workvisa_agent", K.SOCIAL_HANDLE),
    _s("Ads posted by @modeling.scout on X.", K.SOCIAL_HANDLE),
    _s("Her insta is sweet.pea.2008.", K.SOCIAL_HANDLE),
    _s("Kik: brokenwings14", K.SOCIAL_HANDLE),
    _s("Discord user shadowkid_77 sent the bus ticket.", K.SOCIAL_HANDLE),
    _s("She is paid through Venmo @jessie-r-22.", K.SOCIAL_HANDLE),
    _s("Her OnlyFans is fiona_x", K.SOCIAL_HANDLE),
]

URL_SAMPLES = [
    _s("Ad is at https://example.org/listings/4471", K.URL),
    _s("She found the job on www.example.com/jobs/housekeeping.", K.URL),
    _s("Listing: example.org/escorts/city/123", K.URL),
    _s("Profile link http://example.net/u/rosie09", K.URL),
    _s("The ad was reposted at bit.ly/3xYz9Qa.", K.URL),
    _s("Recruiter site WWW.EXAMPLE.ORG offers fake modeling contracts.", K.URL),
    _s("Screenshot of https://www.example.com/profile?id=88123 saved offline.", K.URL),
    _s("She was advertised on example-escorts.com last week.", K.URL),
    _s("Check the post at t.me/workvisa_agent", K.URL),
    _s("URL: https://example.com/a?ref=223", K.URL),
    _s("Screenshot from example.net/profiles/ana_88", K.URL),
    _s("Found the listing on megapersonals.example.com yesterday.", K.URL),
]

IP_ADDRESS_SAMPLES = [
    _s("Login to her account came from 192.168.1.20.", K.IP_ADDRESS),
    _s("Ad poster IP 203.0.113.45 per the subpoena return.", K.IP_ADDRESS),
    _s("IPv6 2001:db8::8a2e:370:7334 appeared in the logs.", K.IP_ADDRESS),
    _s("Her phone connected from 198.51.100.7 at the motel.", K.IP_ADDRESS),
    _s("Traced to fe80::1ff:fe23:4567:890a.", K.IP_ADDRESS),
    _s("IP: 10.0.0.15", K.IP_ADDRESS),
    _s("Posts came from 2001:0db8:85a3:0000:0000:8a2e:0370:7334.", K.IP_ADDRESS),
    _s("Router at the house is 172.16.254.1.", K.IP_ADDRESS),
    _s("IP address 2001:db8:0:0:1:0:0:1 on the login record.", K.IP_ADDRESS),
    _s("Posted from ip 100.64.12.9", K.IP_ADDRESS),
]

CASE_NUMBER_SAMPLES = [
    _s("Sheriff's case #2024-CF-001234 is open on the employer.", K.CASE_NUMBER),
    _s("See docket 23-CR-0045 for the protective order.", K.CASE_NUMBER),
    _s("Prosecution under CR-2023-1234 is pending.", K.CASE_NUMBER),
    _s("Police report number 24-118732 filed last month.", K.CASE_NUMBER),
    _s("Federal case 1:23-cr-00045 in district court.", K.CASE_NUMBER),
    _s("Incident # IR24-00871 from the city police.", K.CASE_NUMBER),
    _s("Juvenile petition JV-24-0113 is on the calendar.", K.CASE_NUMBER),
    _s("Family court file no. 2025FA000318.", K.CASE_NUMBER),
    _s("Related DCFS case 1187-2291.", K.CASE_NUMBER),
    _s("CPS case number 4400912 assigned to intake.", K.CASE_NUMBER),
    _s("Case no. 2025-JV-000871 in juvenile court.", K.CASE_NUMBER),
    _s("Docket number 26-FA-0019.", K.CASE_NUMBER),
    _s("Warrant #W24-10091 issued for the recruiter.", K.CASE_NUMBER),
]

# A person code belongs in its field only: in text it would reach people who may not see the referral.
PERSON_CODE_SAMPLES = [
    _s("Same person as PC-4KM-7QX-T2R, now needs legal help.", K.PERSON_CODE),
    _s("pc-b7d-9xq-33k was referred to the clinic last spring.", K.PERSON_CODE),
    _s("Their code is PC-2HZ-8NV-W1M.", K.PERSON_CODE),
    _s("Linked to PC-000-000-000 by the shelter.", K.PERSON_CODE),
    _s("Person PC-KKK-MMM-PPP came back this month.", K.PERSON_CODE),
    _s("Referred onward under PC-9W3-T7B-C5D.", K.PERSON_CODE),
    _s("Client (PC-G4F-H2J-K8N) declined services.", K.PERSON_CODE),
    _s("See also Pc-5R6-S7T-V8W for the sibling.", K.PERSON_CODE),
]

PERSON_NAME_SAMPLES = [
    _s("Maria Lopez met with our advocate today and wants legal help.", K.PERSON_NAME),
    _s("Client named Rosa needs a ride to the clinic.", K.PERSON_NAME),
    _s("She goes by Sunny on the street.", K.PERSON_NAME),
    _s("Trafficker aka Big Mike runs the house.", K.PERSON_NAME),
    _s("Ms. Okafor called to ask about the T visa.", K.PERSON_NAME),
    _s("Spoke with Mr. Hernandez, the farm manager, about wages.", K.PERSON_NAME),
    _s("Detective Ramirez will do the forensic interview.", K.PERSON_NAME),
    _s("Youth's mother, Angela Brooks, is supportive.", K.PERSON_NAME),
    _s("Victim Jasmine reported the recruiter to the school counselor.", K.PERSON_NAME),
    _s("Her boyfriend Marcus takes all her earnings.", K.PERSON_NAME),
    _s("The recruiter, known as Tío Chuy, promised work in construction.", K.PERSON_NAME),
    _s("Dr. Patel at the clinic did the exam.", K.PERSON_NAME),
    _s("Lopez, Maria - intake completed.", K.PERSON_NAME),
    _s("Referral for Juan Carlos Mendoza, 16, labor trafficking on a dairy farm.", K.PERSON_NAME),
    _s("Client's name is Destiny and she is afraid of Tony.", K.PERSON_NAME),
    _s("Follow up with Grace about the U visa certification.", K.PERSON_NAME),
    _s("Hope Williams asked for a Spanish interpreter.", K.PERSON_NAME),
    _s("Client goes by Jay, pronouns they/them.", K.PERSON_NAME),
    _s("Her uncle, Rolando Perez, arranged the visa.", K.PERSON_NAME),
    _s("Mrs. Nguyen owns the nail salon where the client works.", K.PERSON_NAME),
    _s("Advocate met with Oksana Petrenko at the shelter.", K.PERSON_NAME),
    _s("Officer Daniels transported the youth.", K.PERSON_NAME),
    _s("Survivor Keisha wants to be moved to another county.", K.PERSON_NAME),
    _s("A man called Dre controls the phones.", K.PERSON_NAME),
    _s("She said Brandon Scott recruited her at the mall.", K.PERSON_NAME),
    _s("Sra. Gutiérrez, the client's aunt, can host her.", K.PERSON_NAME),
    _s("Mark Johnson from the restaurant paid her in cash.", K.PERSON_NAME),
    _s("Client a.k.a. Candy on the ads.", K.PERSON_NAME),
    _s("MARIA LOPEZ written on the boarding pass.", K.PERSON_NAME),
    _s("Victim, Ixchel Tzul, speaks K'iche' and some Spanish.", K.PERSON_NAME),
    _s("Met with the client and her sister Luz at the library.", K.PERSON_NAME),
    _s("Please have Amanda call the youth's foster mom.", K.PERSON_NAME),
    _s("The ad listed 'Luna' as her name.", K.PERSON_NAME),
    _s("Spoke with the youth's grandmother, Doña Carmen.", K.PERSON_NAME),
    _s("Client Aisha Mohammed needs an Arabic interpreter.", K.PERSON_NAME),
    _s("Referral for Kevin, 15, runaway, sex trafficking.", K.PERSON_NAME),
    _s("Tran Thi Mai works at the salon 7 days a week.", K.PERSON_NAME),
    _s('Youth\'s trafficker goes by "Papi Chulo" online.', K.PERSON_NAME),
    _s("Nurse said Jennifer was scared to go home.", K.PERSON_NAME),
    _s("Client (Yesenia) speaks Spanish.", K.PERSON_NAME),
    _s("Jose's employer withheld his pay for 3 months.", K.PERSON_NAME),
    _s("Advocate Jordan from Safe Harbor will attend the interview.", K.PERSON_NAME),
]

MIXED_SAMPLES = [
    _s("Maria Lopez, DOB 03/14/2009, cell 414-555-0137.", K.PERSON_NAME, K.DATE_OF_BIRTH, K.PHONE),
    _s(
        "Trafficker Carlos Reyes drives plate ABC-1234 and posts as @boss.carlos.",
        K.PERSON_NAME,
        K.LICENSE_PLATE,
        K.SOCIAL_HANDLE,
    ),
    _s("Youth lives at 1423 N Maple Ave; email jm.youth@example.org.", K.STREET_ADDRESS, K.EMAIL),
    _s(
        "Case #2024-CF-001234 (Det. Ramirez): victim's SSN 123-45-6789 is on file with the DA.",
        K.CASE_NUMBER,
        K.PERSON_NAME,
        K.SSN,
    ),
    _s("Ad at www.example.org/ad/9913 was posted from 203.0.113.9.", K.URL, K.IP_ADDRESS),
    _s(
        "Passport G12345678 and card 4111111111111111 were found in the employer's truck.",
        K.ID_NUMBER,
        K.CARD_OR_ACCOUNT,
    ),
]

CLEAN_SAMPLES = [
    _s("Client is 17 years old, speaks Spanish and K'iche', needs shelter tonight."),
    _s("Age 24, from Guatemala, recruited for farm work on an H-2A visa."),
    _s("Referral JUN-2026-00042 accepted by Safe Harbor Women's Center."),
    _s("Has 3 children with her; they worked 12 hours a day, 7 days a week."),
    _s("Meet at 3:30 pm at the Juniper County Sheriff's Office lobby."),
    _s("Interview scheduled at 14:00 with the District Attorney's victim witness unit."),
    _s("Arrived in March 2026; exploitation started in 2025."),
    _s("Paid $200 a week for 70 hours of work, well below minimum wage."),
    _s("Eligible for a T visa; attorney also reviewing U visa certification (Form I-918 Supplement B)."),
    _s("Consent covers sharing with legal aid under 34 U.S.C. 12291(b)(2)."),
    _s("Federal charges possible under 18 U.S.C. 1591 and 1589."),
    _s("Client is a T-1 applicant; derivative T-2 for her daughter."),
    _s("Decline reason: no capacity this week, try again Monday."),
    _s("Youth, 15, disclosed sex trafficking to a school nurse in February."),
    _s("Needs an interpreter for Mam; Spanish is her second language."),
    _s("Shelter has 2 beds open; 40% occupancy last month."),
    _s("Referral from Juniper County Child Welfare, urgency high."),
    _s("Closed: services provided. Client declined further case management."),
    _s("Case review: 4 open referrals, 2 waiting for consent renewal, 1 withdrawn."),
    _s("Unable to contact after 3 attempts over 10 days."),
    _s("Labor trafficking at a restaurant; worked 6am to 11pm with one break."),
    _s("Potential victim, adult, foreign national, needs immigration legal help."),
    _s("Referred to Legal Aid Society of Juniper County for a T visa application."),
    _s("Hospital social worker at St. Luke's Medical Center made the first contact."),
    _s("Minutes: co-chairs reviewed Q1 numbers; 12 new referrals, 9 accepted."),
    _s("Next meeting on the second Tuesday of May 2026 at 10:00 am."),
    _s("Training for hotel staff delivered to 35 people in April 2026."),
    _s("Continued Presence requested through HSI; waiting on the agent's reply."),
    _s("Client from Honduras, speaks Garifuna and Spanish, prefers a female advocate."),
    _s("Reference code JUN-2025-00317 reopened with a note from the sender."),
    _s("Transported by the Sheriff to the hospital; forensic exam completed."),
    _s("Counselor recommends weekly trauma therapy for 12 weeks."),
    _s("Emergency hotel voucher for 3 nights approved, $95 per night."),
    _s("She is 19 and pregnant, due in about 4 months."),
    _s("Works at a dairy farm 2 hours north; housing provided by the employer."),
    _s("Trafficker confiscated her passport and phone."),
    _s("Debt of $4,500 claimed for the trip from Mexico."),
    _s("Client is Vietnamese, speaks limited English, nail salon labor case."),
    _s("Detective from the Sheriff's Office will call the advocate to set up an interview."),
    _s("Per the District Attorney, charges are under review; no hearing yet."),
    _s("Needs: shelter, medical, mental health, transportation, interpreter."),
    _s("Mother is supportive; father not involved; 2 younger siblings."),
    _s("Youth was recruited online through a gaming app at age 14."),
    _s("Moved to a safe house in a neighboring county on Friday."),
    _s("Advocate on call tonight from 8 pm until 8 am."),
    _s("Client prefers text messages in Portuguese; interpreter requested."),
    _s("Outcome: referred elsewhere (out of county); consent expired in June 2026."),
    _s("OVC grant report for January-June is due at the end of July."),
    _s("Section 107(b)(1)(E) of the TVPA covers benefits eligibility."),
    _s("Room 204 at the Family Justice Center, second floor."),
    _s("Rate increased by 15% after she tried to leave."),
    _s("The employer holds 5 workers in a 2-bedroom unit behind the restaurant."),
    _s("Hearing moved to next week; Victim Witness Unit will attend."),
    _s("Client is from El Salvador, fled at 16 with an older cousin."),
    _s("Forensic interview at the Child Advocacy Center, 2 pm Thursday."),
    _s("Worked 7 days, 84 hours total, paid $300 cash."),
    _s("Task force meeting: HSI, FBI, DA, Sheriff, Safe Harbor, and Catholic Charities attended."),
    _s("In 2024 she was moved between 3 states."),
    _s("Referral JUN-2026-00107 declined: not eligible (over 24)."),
    _s("Estimated 20 to 30 workers at the site; 6 are minors."),
    _s("Follow-up in 2 weeks; advocate will check on school enrollment."),
    _s("Client identifies as nonbinary and prefers they/them."),
    _s("Intake done by phone with the Sheriff's victim advocate."),
    _s("Pending T visa since 2023; work authorization expected this fall."),
    _s("She owes $1,200 for rent and the recruiter's fee."),
    _s("Domestic servitude case; 10 years of unpaid work for a family."),
    _s("Eligible under 22 U.S.C. 7105 for benefits once certified by HHS."),
    _s("Referral source: hospital emergency department, 2:15 am."),
    _s("Christian faith community offered clothing; client is Muslim and prefers halal meals."),
    _s("Client Spanish-speaking, 16, needs placement."),
    _s("Will need an interpreter on Monday."),
    _s("Grace period for consent renewal is 30 days."),
    _s("May 2026 minutes approved; action items assigned to co-chairs."),
    _s("Victim Services Division of the Juniper County Sheriff's Office will host."),
    _s("The Hope House shelter accepts youth 12-17."),
    _s("Spoke with Legal Aid; they can take the case in April."),
    _s("Worked in Milwaukee County and Juniper County."),
    _s("Version 2.1 of the protocol was adopted at the meeting."),
    _s("Call the 24/7 hotline at the agency if safety changes."),
    _s("Ratio of staff to residents is 1:8 at night."),
    _s("Office hours Tuesday and Thursday from 9:00 to 17:30."),
    _s("Received 1,250 hotline calls statewide in 2025, 14% labor-related."),
    _s("The youth, age 13-14 estimated, has no documents."),
    _s("Mileage reimbursement: 42 miles round trip."),
    _s("Members from Juniper County Human Services and the Department of Labor joined."),
    _s("U visa certification signed by the District Attorney in January 2026."),
    _s("Client has a pending I-914 application and an EAD is expected."),
    _s("Client speaks Arabic; a female interpreter from the refugee program is available."),
    _s("Survivor wants to stay in the county; safety plan reviewed."),
    _s("Nail salon case referred by the Department of Labor Wage and Hour Division."),
    _s("Two adults and 1 minor, all foreign nationals, potential labor trafficking."),
    _s("Action item: co-chair to circulate the draft protocol by the end of May 2026."),
    _s("Client needs childcare for a 3-year-old while attending court."),
    _s("Bus pass for 30 days, $64, approved by the program manager."),
    _s("HSI agent and the Sheriff's detective will coordinate the interview."),
    _s("Client, 16, was apprehended by CBP at the border and placed with ORR."),
    _s("Met at the Juniper County Courthouse, 2nd floor, courtroom 3B."),
    _s("The youth is in 10th grade and plays soccer on weekends."),
    _s("Case closed on the 3rd; client moved out of state."),
    _s("Age band 12-17; 2 prior referrals in 2025."),
    _s("Client uses the library computer; no personal email."),
    _s("Eligible for SIJS; youth is 17 and a half."),
    _s("Worked 14-hour shifts at a packing plant, 6 days a week, for $3/hour."),
    _s("Found in a cantina with 4 women, ages 19 to 32."),
    _s("Funding: OVC FY2025 award 15POVC-25-GG-00123-HT covers the advocate position."),
    _s("Per VAWA, the release is valid for 30 days from signing."),
    _s("Client requested a female officer for the interview."),
    _s("Staff from St. Vincent de Paul donated bus fare."),
    _s("Youth disclosed at the ER around 02:30."),
    _s("Client from the Democratic Republic of the Congo, speaks Lingala and French."),
    _s("Referred by Hope Clinic for a mental health assessment."),
    _s("Interviewed by a Special Agent from HSI; T visa endorsement pending."),
    _s("Wages owed: about $8,000 over 11 months."),
    _s("Next review in Q3 2026."),
    _s("The client has an old Honda but no license."),
    _s("Protective order granted; it expires in December 2026."),
    _s("Room 12 at the shelter is reserved for her."),
    _s("Client ID in our system is JUN-2026-00042."),
    _s("Minutes approved 7-0; quorum of 9 member agencies present."),
    _s("Hotel outreach in 3 motels along the interstate, 40 staff trained."),
]

# --- The bypasses of issue 15: each group is reported on its own by the corpus test ---------------

UNICODE_SAMPLES = [
    _s("SSN 123\u201145\u20116789 is on the W-2 the employer kept.", K.SSN),
    _s("Her social is 412-33-\u200b0098 per the benefits letter.", K.SSN),
    _s("Call her at 414\u2013555\u20130137 after 6pm.", K.PHONE),
    _s("Cell: \uff16\uff10\uff18-\uff15\uff15\uff15-\uff10\uff11\uff18\uff19", K.PHONE),
    _s("\u041c\u0430ria L\u043epez met with our advocate today.", K.PERSON_NAME),
    _s("Recruiter posts as \uff20sunny.jobs.usa on the app.", K.SOCIAL_HANDLE),
    _s("She writes from ros\u00ada.blue22\uff20example.org now.", K.EMAIL),
    _s("Ad at https://ex\u200bample.org/listings/4471 was reposted.", K.URL),
    _s("DOB 03\u2215\u200c14\u2215\u200c2009 per the school.", K.DATE_OF_BIRTH),
    _s("Plate \u0410\u0412\u0421-1234 on the grey sedan.", K.LICENSE_PLATE),
    _s("Login from 192\u2024168\u20241\u202420 twice.", K.IP_ADDRESS),
    _s("Passport number \u200eX1234567\u200f is held by the employer.", K.ID_NUMBER),
]

ALLOWED_SHAPE_SAMPLES = [
    _s("Paid $5035550123 for the trip, she says.", K.PHONE),
    _s("Charged under 8 USC 5035550123 in the other state.", K.PHONE),
    _s("Her consular card reads ABC-5551-23456.", K.CASE_NUMBER),
    _s("Debt of $4146 55 0137 written on the ledger.", K.PHONE),
    _s("See 18 U.S.C. 1591 and 123-45-6789 on the form.", K.SSN),
    _s("Referral JUN-2026-00042; her A-number is A123456789.", K.ID_NUMBER),
]

WORLD_NAME_SAMPLES = [
    _s("Thandiwe Okonkwo-Baptiste was moved to the shelter.", K.PERSON_NAME),
    _s("The advocate met Nguyen Thi Hoa at the salon.", K.PERSON_NAME),
    _s("Xiomara Quispe Huamani arrived in March 2026.", K.PERSON_NAME),
    _s("Oluwaseun was moved to the shelter on Friday.", K.PERSON_NAME),
    _s("Mohammed bin Khalid drove the van to the farm.", K.PERSON_NAME),
    _s("Worked for Tran Van Duc at the nail salon for 2 years.", K.PERSON_NAME),
    _s("Chukwuemeka said the recruiter kept his passport.", K.PERSON_NAME),
    _s("Advocate drove Yesenia Mamani Condori to the clinic.", K.PERSON_NAME),
    _s("The foreman, Bogdan Kovalenko, holds the workers' pay.", K.PERSON_NAME),
    _s("She stays with Ngozi Eze in a shared room.", K.PERSON_NAME),
    _s("Interview with Fatima Zahra Benali is set for Thursday.", K.PERSON_NAME),
    _s("Ionut Popescu recruited the men from the bus station.", K.PERSON_NAME),
    _s("Kwame Mensah paid her in cash every two weeks.", K.PERSON_NAME),
    _s("Mai Vang needs a Hmong interpreter for court.", K.PERSON_NAME),
    _s("Client's employer Nguyen Van Thanh owns two salons.", K.PERSON_NAME),
    _s("Abdullahi Bello was seen at the truck stop.", K.PERSON_NAME),
    _s("Met Guadalupe Ticona and her son at the library.", K.PERSON_NAME),
    _s("Olena Shevchenko called the advocate twice.", K.PERSON_NAME),
    _s("Youth said Adebayo drove her to the motel.", K.PERSON_NAME),
    _s("The recruiter Karim El Amrani promised hotel jobs.", K.PERSON_NAME),
]

SPELLED_NUMBER_SAMPLES = [
    _s("Her number is five oh three, five five five, oh one two three.", K.PHONE),
    _s("Call four one four, five five five, zero one three seven after school.", K.PHONE),
    _s("She was born on the third of March, two thousand eight.", K.DATE_OF_BIRTH),
    _s("Born May fifth, two thousand nine, per her aunt.", K.DATE_OF_BIRTH),
    _s("The house at fourteen twenty-eight Elm Street has cameras.", K.STREET_ADDRESS),
    _s("They keep the girls at twenty-two oh five Maple Avenue.", K.STREET_ADDRESS),
    _s("Her social is one two three, four five, six seven eight nine.", K.SSN),
    _s("Text six oh eight, five five five, double one seven two.", K.PHONE),
    _s("SSN one, two, three, four, five, six, seven, eight, nine, she wrote.", K.SSN),
    _s("Her cell is four one four five five five zero one six two.", K.PHONE),
]

PUBLIC_NUMBER_CLEAN = [
    _s("Client called the National Human Trafficking Hotline at 1-888-373-7888 first."),
    _s("Safety plan: call 988 in a crisis and 211 for housing help."),
    _s("The hotline, 1 (888) 373-7888, referred her to Safe Harbor."),
]

# Agencies, counties, places without a street, and drugs: names of things, not of people.
PLACE_AND_DRUG_CLEAN = [
    _s("Client moved from Kenosha County to Waukesha last spring."),
    _s("Worked on farms near Eau Claire, La Crosse and Green Bay."),
    _s("Prescribed Suboxone; staff carry Narcan in the van."),
    _s("Trafficker supplied fentanyl, Percocet and Xanax to keep her compliant."),
    _s("She takes Zoloft and Adderall; the clinic manages both."),
    _s("Referred by Catholic Charities of the Diocese of Madison."),
    _s("Salvation Army and Sojourner Family Peace Center share the case."),
    _s("Transported from Milwaukee to Racine, then to Rockford."),
    _s("Methadone clinic in Sheboygan confirmed enrollment."),
    _s("Was held at a farm outside Guadalajara before crossing at Nogales."),
    _s("Family lives near Quetzaltenango; she came through Tapachula."),
    _s("Recruited in Lagos, transited through Istanbul, then Chicago."),
    _s("Cousins in Chisinau and Odesa were told she had a job."),
    _s("Met the caseworker at the Dane County Human Services office."),
    _s("Worked in a restaurant in Appleton, then a motel in Oshkosh."),
    _s("Client from Ho Chi Minh City, speaks Vietnamese."),
    _s("Naloxone and Narcan training for shelter staff in June 2026."),
    _s("Hmong American Women's Association offers an interpreter."),
    _s("UNIDOS and Centro Hispano both run support groups."),
    _s("Lives near Lake Geneva with her employer's family."),
]

# --- The bypasses found after the hardening: court numbers, separators, glued and dial-out phones ------

COURT_NUMBER_SAMPLES = [
    _s("Hearing moved; docket CR-2024-01234 is still open.", K.CASE_NUMBER),
    _s("Her brother's matter, CR-2024-01234, is in juvenile court.", K.CASE_NUMBER),
    _s("The youth's file JV-2024-00017 was sealed.", K.CASE_NUMBER),
    _s("Custody order from DR-2022-12345 names the father.", K.CASE_NUMBER),
    _s("He was charged in FELONY-2024-00017 last spring.", K.CASE_NUMBER),
    _s("See case no. JUN-2026-00042 at the courthouse.", K.CASE_NUMBER),
    _s("Docket JUN-2026-00042 was set for trial.", K.CASE_NUMBER),
    _s("Warrant cr-2025-00311 is out for the boss.", K.CASE_NUMBER),
]

SEPARATOR_SAMPLES = [
    _s("SSN 123.45.6789 is on the pay stub.", K.SSN),
    _s("SSN 123/45/6789 per the W-2.", K.SSN),
    _s("SSN# 123_45_6789 written on the form.", K.SSN),
    _s("phone: 503,555,0123 (her aunt's)", K.PHONE),
    _s("Reach her on 503_555_0123 after school.", K.PHONE),
    _s("Reach her on 503\u00b7555\u00b70123 after school.", K.PHONE),
    _s("Mother in Puebla: 0052 55 1234 5678.", K.PHONE),
    _s("She calls her Guatemalan number 5555-1234 on Sundays.", K.PHONE),
    _s("Hotline 1-888-373-7888-503-555-0123 was written on her hand.", K.PHONE),
    _s("Su celular es cinco cero tres cinco cinco cinco cero uno dos tres.", K.PHONE),
    _s("SSN three four five dash two two dash one two three four.", K.SSN),
]

# Dates, versions, money, times, ages and rooms after a cue word: still not identifiers.
SEPARATOR_CLEAN = [
    _s("Call 1,250 households before 3/14; version 2.1.10 of the form is out."),
    _s("Text the team by 10:30 on 3/14; 40 staff, 12-17 year olds, Room 204."),
    _s("Call the hotline at 1-888-373-7888 or 988; 211 for housing."),
    _s("Paid 1,250,000 in back wages across 3 farms; call 211 for rent help."),
    _s("Their number of open referrals is 12; call 2026-2027 a transition year."),
    _s("Referral JUN-2026-00042 reopened; case JUN-2026-00042 has a new note."),
    _s("Tres familias y dos agencias; uno de ellos tiene seis hijos."),
    _s("Ages 12-17 served in Q3 2026; rooms 101-120 at the shelter."),
]

CORPUS: list[Sample] = (
    PHONE_SAMPLES
    + EMAIL_SAMPLES
    + SSN_SAMPLES
    + ID_NUMBER_SAMPLES
    + CARD_OR_ACCOUNT_SAMPLES
    + STREET_ADDRESS_SAMPLES
    + DATE_SAMPLES
    + LICENSE_PLATE_SAMPLES
    + SOCIAL_HANDLE_SAMPLES
    + URL_SAMPLES
    + IP_ADDRESS_SAMPLES
    + CASE_NUMBER_SAMPLES
    + PERSON_CODE_SAMPLES
    + PERSON_NAME_SAMPLES
    + MIXED_SAMPLES
    + CLEAN_SAMPLES
    + UNICODE_SAMPLES
    + ALLOWED_SHAPE_SAMPLES
    + WORLD_NAME_SAMPLES
    + SPELLED_NUMBER_SAMPLES
    + PUBLIC_NUMBER_CLEAN
    + PLACE_AND_DRUG_CLEAN
    + COURT_NUMBER_SAMPLES
    + SEPARATOR_SAMPLES
    + SEPARATOR_CLEAN
)

# The groups the corpus test reports on their own, beside the recall per kind.
TRICK_GROUPS: dict[str, list[Sample]] = {
    "unicode tricks": UNICODE_SAMPLES,
    "allow-list shapes": ALLOWED_SHAPE_SAMPLES,
    "world names": WORLD_NAME_SAMPLES,
    "spelled numbers": SPELLED_NUMBER_SAMPLES,
    "public numbers": PUBLIC_NUMBER_CLEAN,
    "places, drugs": PLACE_AND_DRUG_CLEAN,
    "court numbers": COURT_NUMBER_SAMPLES,
    "separators": SEPARATOR_SAMPLES,
    "numbers after cues": SEPARATOR_CLEAN,
}
