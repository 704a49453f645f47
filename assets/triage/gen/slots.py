"""Plain reports composed from slots: subject, problem, consequence, request (hand-written per
category). gen_corpus.py uses them for about a third of each category's reports, so that every
category's vocabulary appears in many combinations and not only inside fixed sentences.
A subject and a problem are written to fit each other inside one group.
"""

SLOTS = {
    "waste": [
        {
            "subj": ["rác thải sinh hoạt", "rác", "chất thải rắn", "rác cồng kềnh", "túi rác của các hộ dân", "rác chợ", "phế thải xây dựng", "xà bần", "lá cây và rác"],
            "prob": ["tồn đọng nhiều ngày", "không được thu gom", "bị đổ trộm", "chất thành đống", "bị vứt bừa bãi", "bốc mùi hôi thối", "tràn ra lòng đường", "ứ đọng lâu ngày", "bị bỏ lại sau khi xe ép rác đi qua"],
        },
        {
            "subj": ["thùng rác công cộng", "thùng rác", "điểm tập kết rác", "điểm trung chuyển rác", "xe ép rác", "xe thu gom rác"],
            "prob": ["bị đầy tràn", "bị hư hỏng", "để nước rỉ rác chảy ra đường", "bốc mùi nồng nặc", "không được vệ sinh", "đặt sát nhà dân", "bị mất nắp", "thu gom không đúng giờ"],
        },
    ],
    "waste_cons": ["ô nhiễm môi trường", "ruồi nhặng bu đầy", "mất vệ sinh", "ảnh hưởng sức khỏe người dân", "mất mỹ quan", "người đi đường phải bịt mũi"],
    "waste_req": ["đề nghị đơn vị vệ sinh môi trường thu gom", "mong HEPCO sớm thu dọn", "đề nghị xử lý người đổ rác trái phép", "xin bổ sung thùng rác", "đề nghị tăng tần suất thu gom"],

    "drainage": [
        {
            "subj": ["cống thoát nước", "hố ga", "mương thoát nước", "rãnh thoát nước", "hệ thống thoát nước", "cống ngang đường", "cửa xả", "kênh thoát nước"],
            "prob": ["bị tắc nghẽn", "bị bồi lắng", "đầy bùn rác", "bốc mùi hôi thối", "không thoát kịp nước", "bị vỡ", "bị bít kín", "chưa được nạo vét", "trào nước thải lên"],
        },
        {
            "subj": ["đường", "kiệt", "khu dân cư", "khu tập thể", "đoạn đường", "ngã tư", "sân trường"],
            "prob": ["bị ngập úng mỗi khi mưa", "ngập sâu sau mưa lớn", "ngập cục bộ kéo dài", "nước đọng không rút", "ngập lút bánh xe", "thành sông mỗi khi mưa to"],
        },
    ],
    "drainage_cons": ["nước tràn vào nhà dân", "xe cộ chết máy", "mùi hôi thối nồng nặc", "muỗi sinh sôi", "đi lại khó khăn", "nước thải đen ngòm"],
    "drainage_req": ["đề nghị nạo vét, khơi thông cống", "mong sớm thông tắc", "đề nghị cải tạo hệ thống thoát nước", "xin xây thêm mương thoát nước"],

    "water_supply": [
        {
            "subj": ["nước máy", "nước sinh hoạt", "nước sạch", "nguồn nước máy", "áp lực nước"],
            "prob": ["rất yếu", "bị mất", "bị cắt không báo trước", "đục ngầu", "có mùi lạ", "có cặn bẩn", "chảy nhỏ giọt", "không lên được tầng 2", "lúc có lúc không"],
        },
        {
            "subj": ["đường ống cấp nước", "ống nước chính", "đường ống nước sạch", "đồng hồ nước", "van cấp nước", "ống nhánh cấp nước"],
            "prob": ["bị vỡ", "bị rò rỉ", "bị xì nước", "bị bể khi thi công", "chảy lãng phí", "bị hỏng", "bị lộ thiên"],
        },
    ],
    "water_supply_cons": ["người dân không có nước dùng", "lãng phí nước sạch", "không nấu ăn được", "phải mua nước bình", "nước chảy lênh láng ra đường"],
    "water_supply_req": ["đề nghị Công ty Cấp nước kiểm tra", "mong HueWACO khắc phục", "đề nghị sửa đường ống", "xin kiểm tra chất lượng nước"],

    "trees_parks": [
        {
            "subj": ["cây xanh", "cây cổ thụ", "cây bàng", "cây phượng", "cây xà cừ", "cây sao đen", "cây keo", "cây dầu", "cành cây", "cây trên vỉa hè", "hàng cây"],
            "prob": ["bị ngã đổ", "có nguy cơ gãy đổ", "bị nghiêng", "bị mục rỗng", "bị chết khô", "cần cắt tỉa", "gãy cành", "bị bật gốc", "sắp đổ", "bị mối ăn"],
        },
        {
            "subj": ["công viên", "vườn hoa", "thảm cỏ", "bồn hoa", "ghế đá công viên", "nhà vệ sinh công viên", "khu vui chơi trong công viên", "lối đi trong công viên"],
            "prob": ["xuống cấp", "không được chăm sóc", "bị hư hỏng", "cỏ mọc um tùm", "bẩn thỉu", "bị bỏ hoang", "bị phá hoại"],
        },
    ],
    "trees_parks_cons": ["nguy hiểm cho người đi đường", "chắn lối đi", "mất mỹ quan", "mùa mưa bão rất nguy hiểm", "người dân không dám đi qua"],
    "trees_parks_req": ["đề nghị Trung tâm Công viên cây xanh xử lý", "mong sớm cắt tỉa", "đề nghị chặt hạ cây nguy hiểm", "đề nghị trồng lại cây", "xin dọn dẹp cây đổ"],

    "street_lighting": [
        {
            "subj": ["đèn đường", "đèn chiếu sáng công cộng", "hệ thống chiếu sáng", "bóng đèn cao áp", "đèn LED chiếu sáng", "cột đèn chiếu sáng", "đèn trong kiệt", "đèn chiếu sáng ven sông"],
            "prob": ["không sáng", "bị hư", "bị tắt", "chập chờn", "sáng cả ban ngày", "bị cháy bóng", "không hoạt động", "tắt quá sớm", "chỉ sáng một nửa"],
        },
    ],
    "street_lighting_cons": ["đường tối om", "thiếu ánh sáng về đêm", "người dân đi lại nguy hiểm", "dễ xảy ra trộm cắp", "lãng phí điện"],
    "street_lighting_req": ["đề nghị sửa chữa đèn", "mong sớm thay bóng", "đề nghị lắp đặt thêm đèn chiếu sáng", "đề nghị kiểm tra hệ thống chiếu sáng"],

    "roads": [
        {
            "subj": ["mặt đường", "đường nhựa", "đường bê tông", "đoạn đường", "mặt cầu", "đường dẫn lên cầu"],
            "prob": ["có nhiều ổ gà", "bị hư hỏng nặng", "bị sụt lún", "bị bong tróc", "bị nứt", "xuống cấp", "gồ ghề", "bị đào lên không hoàn trả"],
        },
        {
            "subj": ["vỉa hè", "gạch lát vỉa hè", "bó vỉa", "nắp hố ga trên đường", "nắp cống giữa đường", "tấm đan trên vỉa hè"],
            "prob": ["bị vỡ", "bị bong", "bị mất", "bị sụt", "lồi lõm", "bị lún"],
        },
        {
            "subj": ["biển báo giao thông", "đèn tín hiệu giao thông", "vạch kẻ đường", "gờ giảm tốc", "lan can cầu", "gương cầu lồi", "dải phân cách"],
            "prob": ["bị mất", "bị hư", "bị mờ", "không hoạt động", "bị gãy", "bị che khuất"],
        },
    ],
    "roads_cons": ["xe máy dễ té ngã", "nguy hiểm cho người tham gia giao thông", "đã có người bị tai nạn", "đi lại khó khăn", "ô tô phải né"],
    "roads_req": ["đề nghị sửa chữa, dặm vá", "mong sớm khắc phục", "đề nghị thảm lại mặt đường", "đề nghị thay nắp hố ga", "đề nghị bổ sung biển báo"],

    "power_telecom": [
        {
            "subj": ["cột điện", "trụ điện", "dây điện", "đường dây hạ thế", "trạm biến áp", "công tơ điện", "tủ điện"],
            "prob": ["bị nghiêng", "bị đứt", "võng thấp", "bị chập", "phát tia lửa", "bị cháy", "có nguy cơ đổ", "bị nứt chân"],
        },
        {
            "subj": ["dây cáp viễn thông", "cáp quang", "dây cáp internet", "dây thông tin", "cáp truyền hình", "hộp cáp của nhà mạng"],
            "prob": ["chằng chịt", "bị đứt", "treo lủng lẳng", "võng sát mặt đường", "giăng mắc lộn xộn", "rơi xuống đường"],
        },
        {
            "subj": ["điện", "nguồn điện", "lưới điện", "sóng điện thoại", "mạng internet"],
            "prob": ["bị mất liên tục", "chập chờn", "bị cắt không báo trước", "rất yếu", "mất diện rộng"],
        },
    ],
    "power_telecom_cons": ["nguy cơ điện giật", "ảnh hưởng sinh hoạt", "hư hỏng thiết bị điện", "mất mỹ quan đô thị", "người dân lo sợ"],
    "power_telecom_req": ["đề nghị Điện lực kiểm tra", "mong điện lực khắc phục", "đề nghị nhà mạng thu gọn cáp", "đề nghị dựng lại cột điện"],

    "urban_order": [
        {
            "subj": ["quán cà phê", "quán nhậu", "cửa hàng", "hộ kinh doanh", "tiệm sửa xe", "người bán hàng rong", "quán ăn", "tiệm tạp hóa"],
            "prob": ["lấn chiếm vỉa hè", "bày bán dưới lòng đường", "chiếm hết lối đi", "dựng mái che ra vỉa hè", "để xe tràn ra đường", "kinh doanh lấn chiếm"],
        },
        {
            "subj": ["công trình xây dựng", "hộ dân", "nhà đang xây", "chủ đầu tư"],
            "prob": ["xây dựng không phép", "xây dựng sai phép", "cơi nới trái phép", "lấn chiếm đất công", "không che chắn", "tập kết vật liệu trên vỉa hè", "xây lấn hành lang"],
        },
        {
            "subj": ["ô tô", "xe tải", "xe khách", "xe container"],
            "prob": ["đậu trái phép trên vỉa hè", "đỗ chắn lối đi", "đậu qua đêm dưới lòng đường", "dừng đỗ tùy tiện"],
        },
    ],
    "urban_order_cons": ["người đi bộ phải xuống lòng đường", "mất mỹ quan đô thị", "cản trở giao thông", "gây ùn tắc", "mất trật tự đô thị"],
    "urban_order_req": ["đề nghị lực lượng trật tự đô thị xử lý", "đề nghị UBND phường kiểm tra", "mong xử lý dứt điểm", "đề nghị lập biên bản"],

    "public_security": [
        {
            "subj": ["thanh niên", "nhóm thanh niên", "một nhóm đối tượng", "các đối tượng", "nhiều người lạ"],
            "prob": ["tụ tập gây rối", "đua xe trái phép", "rú ga lạng lách", "đánh nhau", "đánh bạc", "sử dụng ma túy", "hút bóng cười", "say xỉn gây gổ"],
        },
        {
            "subj": ["quán karaoke", "nhà hàng xóm", "quán nhậu", "loa kéo", "quán bar"],
            "prob": ["hát karaoke quá 22 giờ", "mở nhạc ồn ào đến khuya", "gây ồn ào suốt đêm", "hát to sau 22h", "gây ô nhiễm tiếng ồn"],
        },
        {
            "subj": ["kẻ gian", "trộm", "đối tượng cướp giật", "đối tượng lừa đảo"],
            "prob": ["trộm xe máy", "đột nhập nhà dân", "giật túi xách người đi đường", "lừa đảo chiếm đoạt tiền", "bẻ khóa trộm tài sản"],
        },
    ],
    "public_security_cons": ["mất an ninh trật tự", "người dân không ngủ được", "người dân hoang mang lo sợ", "nguy hiểm cho người đi đường", "ảnh hưởng trẻ nhỏ"],
    "public_security_req": ["đề nghị Công an phường xử lý", "mong công an vào cuộc", "đề nghị tăng cường tuần tra", "đề nghị xử phạt nghiêm"],

    "health": [
        {
            "subj": ["quán ăn", "cơ sở sản xuất thực phẩm", "bếp ăn tập thể", "quán bún", "xe bán đồ ăn", "cơ sở làm bánh", "căng tin trường"],
            "prob": ["mất vệ sinh an toàn thực phẩm", "dùng thực phẩm không rõ nguồn gốc", "gây ngộ độc cho khách", "dùng hóa chất", "không có giấy chứng nhận an toàn thực phẩm", "bán thức ăn ôi thiu"],
        },
        {
            "subj": ["phòng khám tư", "nhà thuốc", "trạm y tế", "bệnh viện", "cơ sở thẩm mỹ"],
            "prob": ["hoạt động không phép", "bán thuốc không rõ nguồn gốc", "phục vụ kém", "thái độ không đúng mực với bệnh nhân", "để bệnh nhân chờ quá lâu"],
        },
        {
            "subj": ["dịch sốt xuất huyết", "ổ dịch", "dịch tay chân miệng", "nhiều ca sốt"],
            "prob": ["xuất hiện trong khu dân cư", "bùng phát ở tổ dân phố", "chưa được phun thuốc khử khuẩn", "lây lan nhanh"],
        },
    ],
    "health_cons": ["ảnh hưởng sức khỏe người dân", "nhiều người phải nhập viện", "nguy cơ lây lan dịch bệnh", "trẻ em bị đau bụng"],
    "health_req": ["đề nghị Sở Y tế kiểm tra", "đề nghị kiểm tra vệ sinh an toàn thực phẩm", "đề nghị phun thuốc diệt muỗi", "mong ngành y tế vào cuộc"],

    "heritage_tourism": [
        {
            "subj": ["di tích", "lăng tẩm", "tường thành Kinh thành", "cổng thành", "miếu cổ", "nhà rường cổ", "đình làng", "hiện vật trong di tích"],
            "prob": ["xuống cấp nghiêm trọng", "bị xâm hại", "bị vẽ bậy", "bị lấn chiếm", "có cây mọc phá hoại", "bị nứt", "chưa được trùng tu"],
        },
        {
            "subj": ["người bán hàng lưu niệm", "xích lô", "thuyền du lịch", "dịch vụ chụp ảnh", "hướng dẫn viên tự do", "nhà hàng gần điểm du lịch", "homestay"],
            "prob": ["chặt chém du khách", "nói thách khách du lịch", "chèo kéo đeo bám khách", "ép giá khách nước ngoài", "lừa đảo du khách", "tính tiền sai giá niêm yết"],
        },
    ],
    "heritage_tourism_cons": ["làm xấu hình ảnh du lịch Huế", "du khách bức xúc", "ảnh hưởng giá trị di sản", "khách không muốn quay lại"],
    "heritage_tourism_req": ["đề nghị Trung tâm Bảo tồn Di tích Cố đô xử lý", "đề nghị Sở Du lịch kiểm tra", "mong sớm trùng tu", "đề nghị chấn chỉnh dịch vụ du lịch"],
}
