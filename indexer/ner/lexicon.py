"""Word lists the entity rules consult: cue words, generic heads, stop words, given names.

Why a module of plain sets: the rules stay readable ("is the next word a dataset head?")
and the lists can grow without touching logic. Every set holds lower-case words unless its
name says otherwise; lookups lower-case the word first.
"""
from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS

__all__ = [
    "FUNCTION_WORDS", "COMMON_WORDS", "MONTHS", "PLACES", "GIVEN_NAMES", "SURNAMES",
    "HEADS", "ORG_SUFFIXES", "ORG_PREFIXES", "EVENT_SUFFIXES", "PERSON_ROLES_BEFORE",
    "PERSON_VERBS_AFTER", "PERSON_APPOSITIVE_ROLES", "ORG_ROLES_AFTER", "ORG_VERBS_AFTER",
    "SOURCE_NOUNS", "NAMING_VERBS", "MODEL_CUES", "GENERIC_ACRONYMS", "NON_ENTITY_NAMES",
    "MODEL_VARIANT_WORDS", "CHIP_MAKERS", "is_common",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in text.split())


# spaCy's English stop words plus a few contractions and list words
FUNCTION_WORDS: frozenset[str] = frozenset(STOP_WORDS) | _words("""
    vs via etc e.g i.e aka per amid upon onto toward towards among plus versus let lets
    it's we're they're here's what's that's there's don't can't won't isn't aren't
""")

MONTHS = _words("""
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    monday tuesday wednesday thursday friday saturday sunday
    spring summer autumn fall winter today yesterday tomorrow weekend week weekly
""")

# Places are not entities: they must not become ORG/PERSON by a suffix or name rule.
PLACES = _words("""
    africa america americas asia europe oceania antarctica arctic
    usa us uk eu gb u.s. u.k. u.s
    argentina australia austria belgium brazil canada chile china colombia croatia czechia denmark
    egypt estonia finland france germany ghana greece hungary india indonesia iran iraq ireland
    israel italy japan kenya korea latvia lithuania luxembourg malaysia mexico morocco netherlands
    nigeria norway pakistan peru philippines poland portugal qatar romania russia rwanda saudi
    singapore slovakia slovenia spain sweden switzerland taiwan thailand turkey ukraine uae
    vietnam wales scotland england britain
    amsterdam athens austin bangalore bengaluru barcelona beijing berlin boston brussels cambridge
    chicago copenhagen delhi dubai dublin edinburgh geneva hamburg helsinki hong kong istanbul
    jerusalem lagos lisbon london madrid manchester melbourne miami milan montreal moscow mumbai
    munich nairobi oslo oxford paris prague rome seattle seoul shanghai shenzhen stockholm sydney
    taipei tokyo toronto vancouver vienna warsaw washington zurich
    california texas york francisco jose valley silicon bay area
    african american asian european chinese indian japanese korean british french german
    canadian israeli russian spanish italian dutch swiss swedish english latin
""")

# Given names and surnames that make a two-token capitalised chunk a PERSON on their own.
# Names that are also common words or brands (Will, Max, Grace, Ray, Taylor, May) are left out.
GIVEN_NAMES = _words("""
    aaron abby abdul abhishek abigail abraham adam adele adi aditya adrian adriana ahmed aidan
    aiden ajay akash alan alana alba albert alberto alec alejandro aleksandr alessandro alex
    alexa alexander alexandr alexandra alexandre alexei alexey alexis alfred ali alice alicia
    alison allan allen alyssa amanda amar amelia amir amit amy ana anand anders andrea andreas
    andrei andrej andres andrew andrey andy angela angelina angelo anil anima anita ankit ann
    anna anne annie anthony anton antonio anya anshul arjun armand arnaud arthur arun arvind asha
    ashish ashley ashok atul audrey austin ava avi ayesha barbara barry bart ben benedict
    benjamin bernard bernhard beth betty bharat bianca bill billy bob bobby boris brad bradley
    brandon brenda brendan brian bruce bruno bryan caitlin cameron camila carl carla carlo carlos
    carmen carol caroline carolyn casey cassie catherine cathy cecilia cedric celine chad chandra
    charles charlie charlotte chelsea chen chloe chris christian christina christine christopher
    chuck claire clara claudia clement clement cliff clint colin connor constantin corey cory craig
    cristina cynthia dale dan dana daniel daniela daniele danielle danny dario darius darren
    dave david dean deb debbie deborah deepak denis dennis derek devi devon dhruv diana diego
    dimitri dimitris dmitry dominic dominik don donald doug douglas dylan eddie edgar edith eduardo
    edward elena eli elias elijah elisa elise eliza elizabeth ella ellen elliot ellie emad emanuel
    emil emilia emily emma emmanuel enrico eric erica erik erin ernest ethan eugene eva evan
    evelyn fabian fabio farah fatima federico felipe felix fernando filip finn florian francesca
    francesco francis francisco francois françois frank frankie franz fred frederick gabriel
    gabriela gabriele gareth garrett gary gaurav gautam geoff geoffrey george georgi georgia
    gerald gerard gianluca gil gilbert giovanni giulia giuseppe glen glenn gordon graham greg
    gregory guido guillaume gustavo hadi hamel hamid hana hannah hans harold harrison harry
    harsh hassan heather hector heidi helen helena henrik henry hiroshi hugo ian igor ilya ines
    ingrid irene isaac isabel isabella isabelle ismail ivan jack jackie jacob jacqueline jake
    james jamie jan jane janet janice jared jasmine jason javier jay jean jeff jeffrey jen
    jennifer jenny jeremy jerome jerry jess jessica jesus jill jim jimmy joachim joan joanna joao
    joe joel johan johannes john johnny jon jonas jonathan jordi jorge jose josef joseph josh
    joshua joy juan judea judith julia julian juliana julie julien julio jun junaid jurgen
    justin kai kamal karan karen karim karl karthik kasper kate katherine kathleen kathryn katie
    katrin kavya keith kelly ken kenneth kevin khalid kim kiran kirk klaus kris krishna kristen
    kristina kumar kunal kurt kyle lakshmi lara larry laura lauren laurent lea leah lee leila
    lena leo leon leonard leonardo leslie lewis liam lilian lily linda lionel lisa liz logan
    lorenzo louis louise luca lucas lucia luis luke lukas lukasz łukasz luna lydia madeline
    madhu mahesh maja manish manoj manuel marc marcel marcin marco marcus margaret maria mariana
    marie marina mario marion marius mark marta martin martina mary mateo matej mathieu matt
    matteo matthew matthias maura maureen maurice maxim maxime maya megan mehdi mehmet melanie
    melissa michael michaela michal micheal michel michele michelle miguel mikael mike mikhail
    mila milan miles mina mira miriam mitchell mohamed mohammad mohammed molly monica morgan
    muhammad mustafa nadav nadia naman nancy naomi natalia natalie natasha nate nathan nathaniel
    neel neha neil nicholas nick nicola nicolas nicole niels nikhil nikita nikolai nikolaos nina
    nisha noah noam noel nora nuno oleg olga oliver olivia omar omer oren oriol oscar owen pablo
    paolo parth pascal patricia patrick paul paula pavel pedro peggy peter petra phil philip
    philipp philippe pierre pieter piotr pooja prakash pranav prateek pratik priya priyanka
    rachel radu rafael raj rajat rajesh rakesh ralph ramesh ramon randy raphael raquel ravi
    rebecca reza ricardo richard rick rishabh rita rob robert roberta roberto robin rodrigo
    roger rohan rohit roman ron ronald ronan rosa ross ruben rudolf rupert russell ryan sabrina
    sachin sahil sai salman samantha samir samuel sandeep sandra sanjay santiago sara sarah
    sasha satya saurabh scott sean sebastian sergey sergio seth shane shankar sharon shaun
    shawn sheila shiv shivam shreya shubham siddharth simon simone sofia sonia sophia sophie
    soumith soumya spencer stanislav stefan stefano steffen stella stephanie stephen steve
    steven stuart subhash sudhir sumit sundar sunil suresh susan suzanne sven tanya tara ted
    teresa terry thea theo theodore thierry thomas tiago tim timnit timothy tina tobias todd tom
    tomas tommy toni tony travis trevor tristan tyler uday ulrich umar usman uwe vaibhav valentin
    valentina valerie vanessa varun vasily vera veronica victor victoria vijay vikram vincent
    vinod viktor virginia vishal vivek vlad vladimir walter wei wendy werner william wojciech
    xavier xin yann yannis yash yasmin yoav yoshua yuki yuri yusuf yves zach zachary zain zeynep
    zhang zoe
""")

SURNAMES = _words("""
    adams agarwal aggarwal ahmed ali allen alvarez anderson bailey baker banerjee barnes becker
    bell bennett bhatt brooks brown bui butler campbell carter castillo chan chang chatterjee
    chen cheng chopra choi chow clark cohen collins cook cooper cruz das davies davis diaz dubois
    edwards evans fernandez fischer fisher flores foster friedman garcia ghosh gomez gonzalez
    goldberg gordon graham gray green gupta gutierrez hall harris hernandez hill hoffman hoffmann
    huang hughes iyer jackson jain james jenkins jimenez johnson jones joshi kapoor katz kaur
    kelly khan kim king klein kowalski kumar kuznetsov lam lambert lee levi levy lewis li liang
    lin liu lopez lu luo martin martinez mehta meyer miller mishra mitchell moore morales morgan
    morris muller müller murphy myers nair nguyen nelson novak o'brien ortiz park parker patel
    perez perry peterson pham phillips popescu powell price qian rao reddy reed reyes richter
    rivera roberts robinson rodriguez rogers romero ross russo sanchez sato schmidt schneider
    schulz scott shah sharma shen singh smith song srivastava stewart sullivan sun suzuki tanaka
    tang taylor thomas thompson torres tran turner verma wagner walker wang ward watson weber
    white williams wilson wong wood wright wu xu yadav yamamoto yang young yu zhang zhao zhou
    zhu zimmermann
""")

# Generic words that turn the name right before them into a typed entity:
# "the Oxford Flowers dataset", "the Gaudi 3 accelerator", "the Flyte platform".
HEADS: dict[str, frozenset[str]] = {
    "MODEL": _words("""
        model models architecture architectures algorithm algorithms network networks
        optimizer optimiser llm llms checkpoint checkpoints weights backbone encoder decoder
        classifier detector method family agent
    """),
    "PRODUCT": _words("""
        library libraries framework frameworks package packages toolkit toolbox tool tools sdk
        api platform app apps database engine compiler runtime extension plugin plug-in cli ide
        editor service server project repo repository module notebook notebooks language
        dashboard bot chatbot assistant interface wrapper client
    """),
    "DATASET": _words("""
        dataset datasets data-set corpus corpora benchmark benchmarks leaderboard suite
    """),
    "HARDWARE": _words("""
        chip chips gpu gpus tpu tpus accelerator accelerators processor processors cpu cpus npu
        npus superchip superchips supercomputer supercomputers soc socs wafer
    """),
    "ORG": _words("""
        company companies startup startups lab labs firm university institute
    """),
    "EVENT": _words("""
        conference conferences summit workshop workshops meetup hackathon symposium competition
    """),
}

ORG_SUFFIXES = frozenset("""
    Labs Lab Research Institute University College Inc Inc. Corp Corp. Corporation Ltd Ltd.
    LLC GmbH AG SA Technologies Technology Systems Robotics Dynamics Analytics Software
    Semiconductor Semiconductors Foundation Ventures Capital Partners Laboratory Laboratories
    Academy Society Association Consortium Alliance Agency Council Commission Collective
    Intelligence AI
""".split())

ORG_PREFIXES = frozenset("""
    University Institute Center Centre School Department Ministry Laboratory Academy Office
""".split())

EVENT_SUFFIXES = frozenset("""
    Conference Summit Day Days Workshop Symposium Meetup Hackathon Challenge Competition Expo
    Forum Festival Fest Olympiad Prize Congress Con
""".split())

PERSON_ROLES_BEFORE = _words("""
    ceo cto cfo coo cso cpo founder co-founder cofounder co-creator creator author authors
    researcher researchers scientist scientists engineer professor prof prof. dr dr. director
    vp president chairman investor host student phd postdoc expert economist journalist writer
    blogger inventor pioneer godfather maintainer developer speaker keynote lead head officer
    manager chief by with featuring feat. ft. guest mr mr. ms ms. mrs mrs. sir
""")

PERSON_APPOSITIVE_ROLES = _words("""
    ceo cto cfo coo founder co-founder cofounder creator co-creator author researcher scientist
    engineer professor director president chairman head lead chief partner investor maintainer
""")

PERSON_VERBS_AFTER = _words("""
    says said explains explained shares shared argues argued writes wrote discusses discussed
    presents presented talks talked joins joined describes described outlines outlined reflects
    believes thinks notes noted recounts interviews tweeted tweets predicts warns warned
    walks dives breaks answers answered
""")

ORG_ROLES_AFTER = _words("""
    ceo cto cfo coo founder co-founder cofounder engineers researchers scientists employees
    staff spokesperson spokesman
""")

# "Coursera has released ...": a capitalised name followed by these is an organisation
ORG_VERBS_AFTER = _words("""
    released launched announced unveiled open-sourced acquired raised hired introduced
    partnered
""")

# "an article from DagsHub", "a tutorial by Towards Data Science"
SOURCE_NOUNS = _words("""
    article articles post posts blog tutorial tutorials paper papers video videos talk talks
    report reports guide course survey team teams researchers engineers folks writeup write-up
    piece series podcast newsletter study
""")

NAMING_VERBS = _words("called named dubbed titled coined")

# words in the same sentence that make an unknown name more likely a MODEL (research prose)
MODEL_CUES = _words("""
    propose proposes proposed introduce introduces introduced novel trained train training
    pretrained pre-trained fine-tuned outperforms outperform parameters parameter sota
    state-of-the-art architecture layers inference weights
""")

# all-capital words that are generic (never an entity on their own)
GENERIC_ACRONYMS = frozenset("""
    AI ML DL NLP NLU NLG CV LLM LLMs GPU GPUs CPU CPUs TPU API APIs SQL NoSQL ETL ELT KPI KPIs
    ROI CEO CTO CFO COO VP UI UX OS IT HR QA PR PDF CSV JSON YAML XML HTML HTTP HTTPS REST RPC
    gRPC RAG RL RLHF GAN GANs CNN CNNs RNN RNNs LSTM MLP MoE SOTA SotA FAQ TL;DR TLDR DIY
    AGI ASI AR VR XR IoT SaaS PaaS IaaS B2B B2C SDK SDKs CLI IDE CI CD CI/CD MLOps DevOps
    DataOps LLMOps AIOps GitOps FinOps DevSecOps DevEx OSS FOSS USD EUR GDP GDPR PII PHD PhD
    PhDs MSc BSc MBA EU UK US USA NYC SF LA OK TV CO2 GPT LoRA RoPE CoT ReLU GeLU GELU SwiGLU
    ANN KNN SVM PCA OCR ASR TTS NER POS QnA Q&A AMA TBD ETA EOD FYI ASAP WIP NB PS IMO IMHO
    LTS RC GA URL URLs DNS VPN SSH SSL TLS CPU RAM SSD HDD NVMe FPGA ASIC SoC NPU HPC GPGPU
    FLOP FLOPs FLOPS TFLOPS PFLOPS TOPS MB GB TB PB KB MHz GHz
""".split())

# camel-case or digit words that look like names but are not entities
NON_ENTITY_NAMES = frozenset("""
    YoY QoQ MoM CompSci GameDev SotA LaTeX ChatOps NoOps MLEng DataEng DevRel PhD PhDs
    COVID COVID-19 COVID19 SARS-CoV-2 UTF-8 UTF-16 MP3 MP4 H.264 H264 H.265 Web2 Web3 IPv4 IPv6
    Y2K P2P E2E A/B ReLU LeakyReLU GeLU SwiGLU RoPE CoT ToT MoE MoEs LoRA QLoRA KV-cache
    Seq2Seq Seq2seq seq2seq Text2Text Img2Img Q1 Q2 Q3 Q4 H1 H2 FY2023 FY2024 FY2025 FY2026
    TL;DR IoT NoSQL OAuth OAuth2 JavaScript's MacBook
""".split())

MODEL_VARIANT_WORDS = frozenset("""
    Pro Flash Lite Flash-Lite Ultra Nano Mini mini Turbo turbo Instruct instruct Chat chat
    Coder Base base Large Small Medium Tiny XL XXL Max Plus Vision VL Omni Scout Maverick
    Behemoth Sonnet Opus Haiku Preview preview Thinking Reasoning Distill Code Math Air
    Spark Edge Embed Embedding Guard Next Long
""".split())

CHIP_MAKERS = frozenset("""
    NVIDIA Nvidia nVidia AMD Intel Qualcomm Apple Google Amazon AWS Huawei Cerebras Graphcore
    Groq SambaNova Tenstorrent Arm ARM TSMC Samsung MediaTek Broadcom Microsoft Meta Tesla
    IBM Habana Etched
""".split())

# Words that are capitalised in titles or at a sentence start but name nothing: title verbs,
# generic nouns and adjectives of the field. Used to trim and reject capitalised chunks.
COMMON_WORDS: frozenset[str] = FUNCTION_WORDS | MONTHS | _words("""
    introducing announcing introduction intro overview guide tutorial tutorials part chapter
    episode podcast video videos talk talks keynote lecture lectures course courses series
    paper papers article articles post posts blog blogs thread report reports survey review
    reviews interview interviews webinar demo demos slides book books notes update updates
    release releases news roundup recap summary highlights lessons learned learnings tips
    tricks best practice practices patterns pattern principles principle primer handbook
    cheatsheet checklist roadmap playbook case study studies example examples reference
    using building build builds built scaling scale scaled training train trained serving
    deploying deployment deploy deployments monitoring monitor managing management run running
    making make made designing design designs creating create understanding understand
    explaining explain explained exploring explore evaluating evaluate evaluation evaluations
    measuring measure benchmarking testing test tests debugging debug improving improve
    optimizing optimising optimize optimise optimization optimisation automating automate
    automated learning learn learned leveraging leverage accelerating accelerate speeding
    reducing reduce detecting detect detection mitigating mitigate fixing fix migrating
    adopting adopt choosing choose getting get go going beyond towards toward rethinking
    revisiting inside behind within across against versus meet meets meeting
    machine machines deep neural network networks model models modeling modelling data science
    scientist scientists engineering engineer engineers engineered production products product
    system systems pipeline pipelines platform platforms infrastructure architecture
    architectures algorithm algorithms method methods approach approaches technique techniques
    framework frameworks library libraries tool tools tooling toolkit stack service services
    application applications app apps solution solutions software hardware open source
    open-source code coding programming language languages vision image images text speech
    audio voice video visual generative generation reasoning inference search retrieval
    recommendation recommendations recommender ranking classification regression clustering
    prediction predictions forecasting forecast detection segmentation translation
    summarization analysis analytics insights insight intelligence artificial cognitive
    computer computing compute cloud edge mobile web online offline distributed parallel
    federated private privacy security secure safety safe trust trustworthy responsible
    ethical ethics fair fairness bias explainable explainability interpretable
    interpretability robust robustness reliable reliability efficient efficiency scalable
    fast faster fastest slow large larger largest small smaller big bigger huge tiny
    massive simple simpler easy easier hard practical modern new newer latest next future
    state art sota current recent early first second third last final top best better good
    great awesome amazing powerful free open closed public private general universal global
    local real real-time end end-to-end world worlds human humans people person team teams
    company companies industry enterprise enterprises business businesses organisation
    organization organisations organizations startup startups community communities
    ecosystem market markets economy policy policies regulation law laws government
    research researchers researcher academic academia university lab labs institute
    year years month months week weeks day days time times hour hours minute minutes
    one two three four five six seven eight nine ten hundred thousand million billion
    trillion half dozen
    agent agents agentic autonomous assistant assistants chatbot chatbots copilot copilots
    prompt prompts prompting context token tokens tokenizer embedding embeddings vector vectors
    database databases graph graphs tree trees table tables feature features label labels
    labeling labelling dataset datasets benchmark benchmarks metric metrics score scores loss
    function functions layer layers attention transformer transformers encoder decoder
    diffusion adversarial reinforcement supervised unsupervised self-supervised semi-supervised
    contrastive transfer multi multi-task multimodal multi-modal cross zero-shot few-shot
    one-shot fine-tuning fine-tune pretraining pre-training pretrained pre-trained
    quantization distillation pruning compression sparse dense optimal optimizer gradient
    gradients descent stochastic probabilistic bayesian statistical statistics causal causality
    time-series series anomaly anomalies fraud risk risks cost costs price pricing performance
    latency throughput memory storage compute cluster clusters node nodes container
    containers kubernetes-native workflow workflows orchestration observability governance
    quality validation version versioning versions lineage catalog metadata experiment
    experiments tracking registry store stores lake lakehouse warehouse warehouses
    stream streaming batch real realtime feature-store mlops llmops devops dataops
    health healthcare medical medicine clinical biology chemistry physics math mathematics
    finance financial insurance retail manufacturing energy climate education legal music
    art arts game games gaming sports robot robots robotics autonomous driving car cars
    self-driving drone drones satellite satellites space
    ai ml nlp llm llms genai gpt gpu gpus cpu cpus api apis sdk ui ux
    how why what when where which who whose whom whatever whichever
    yes no not all any every each some many much more most less least few several various
    other others another such same different own only just also even still already yet
    about above after again ago almost alone along always among around away back because
    before below between both down during enough ever far here hence however into last
    like long near never now off often once out over past perhaps quite rather really right
    since soon than then there therefore though through thus together too under until up
    upon usually very well while without
    here's lets let's thanks thank welcome hello hi dear please note warning important
    announcement announcements event events conference conferences summit summits workshop
    workshops meetup meetups hackathon hackathons challenge challenges competition
    competitions award awards prize prizes day keynote session sessions panel panels
    call calls job jobs hiring career careers role roles position positions salary salaries
    interview interviews question questions answer answers problem problems issue issues
    idea ideas thought thoughts opinion opinions view views perspective perspectives
    story stories journey journeys experience experiences lesson history evolution
    introduction conclusion conclusions discussion discussions debate debates argument
    arguments challenge opportunity opportunities trend trends outlook predictions vision
    mission strategy strategies roadmap landscape map overview comparison comparisons
    alternative alternatives option options choice choices decision decisions
    implementation implementations integration integrations migration migrations
    adoption maturity standard standards specification specifications protocol protocols
    format formats interface interfaces abstraction abstractions component components
    module modules plugin plugins extension extensions template templates
    dashboard dashboards notebook notebooks repo repos repository repositories
    collection collections list lists resource resources material materials
    awesome curated ultimate complete comprehensive definitive essential essentials
    beginner beginners advanced intermediate basic basics fundamentals fundamental
    introduction theory theories practice hands-on hands deep-dive dive deepdive
    free paid cheap expensive friends friend family families home office offices
    operations operation general tokens n-grams bag-of-words engine engines
    leader leaders evangelist advocate analyst editor deputy associate assistant vice
    executive managing technical principal senior staff lead head chief officer partner
    join joins follow follows read reads watch watches check checks meet see sign register
    technology technologies rankings ranking expert experts host hosts authors author founder founders cofounder cofounders co-founder co-founders
""")


def is_common(word: str) -> bool:
    """True when `word` (any case) is an ordinary English/field word, not a name."""
    return word.lower() in COMMON_WORDS
